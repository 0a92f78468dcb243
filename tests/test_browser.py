"""The baked app in a real browser: headless Chromium, from the production image and through three replicas.

Debian's `chromium` and `chromium-driver` (.ci/run installs them), driven by Selenium from the dev lock;
Selenium Manager is pointed at both binaries and kept offline, so nothing is downloaded. The image is the
default bake's, unchanged. Chromium opens it on one container's port, then through a loopback HAProxy
with cookie persistence in front of three containers (tests/test_kubernetes.py's machinery), waits for
Streamlit's frontend to render the app over its WebSocket, checks the title, the chart and the metric,
clicks the deposit's `+` and sees the balance change, and takes a screenshot it then decodes to check it
is a rendered page, not a blank or a loading skeleton.
"""

import struct
import tempfile
import uuid
import zlib
from pathlib import Path

import pytest
from helpers import DEFAULT_PYTHON, bake, run
from test_kubernetes import balancer, haproxy_binary, remove, start_replicas

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# The flags headless Chromium needs here: as root without a sandbox, no GPU, and no calls home.
CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1200,1600"]  # fmt: skip
RENDER_TIMEOUT = 60  # seconds for the frontend to load, connect and draw the app
TITLE = "My Streamlit App"  # the default bake's project_name


@pytest.fixture(scope="module")
def browser_image(docker, tmp_path_factory):
    """The default bake's production image, as `invoke docker-build` builds it."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip(f"no {CHROMIUM} and {CHROMEDRIVER} (Debian's chromium and chromium-driver; .ci/run installs them)")
    project = bake(tmp_path_factory.mktemp("browser"), python_version=DEFAULT_PYTHON)
    tag = f"pinned-streamlit-test-browser-{uuid.uuid4().hex[:10]}:latest"
    try:
        run([docker, "build", "--force-rm", f"--tag={tag}", "."],
            cwd=project)  # fmt: skip
        yield tag
    finally:
        run([docker, "rmi", "--force", tag], cwd=".", check=False)


@pytest.fixture(scope="module")
def app_replicas(docker, browser_image):
    """Three containers of the production image sharing a cookie secret, as the Deployment runs them."""
    prefix = f"pinned-streamlit-test-browser-{uuid.uuid4().hex[:10]}"
    secret = f"STREAMLIT_SERVER_COOKIE_SECRET={uuid.uuid4().hex}{uuid.uuid4().hex}"
    try:
        yield start_replicas(docker, browser_image, prefix, [secret])
    finally:
        remove(docker, *(f"{prefix}-r{i}" for i in (1, 2, 3)))


@pytest.fixture
def chromium(monkeypatch):
    """A headless Chromium session with a new empty profile; Selenium Manager never downloads anything."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    monkeypatch.setenv("SE_OFFLINE", "true")  # were Selenium Manager asked: no downloads, no statistics
    monkeypatch.setenv("SE_AVOID_STATS", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={profile}"]:
            options.add_argument(flag)
        driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
        try:
            yield driver
        finally:
            driver.quit()


def png_pixels(data):
    """(width, height, rows of pixel tuples) of an 8-bit RGB or RGBA, non-interlaced PNG, decoded with zlib."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, chunks = 8, {}
    while pos < len(data):
        (length,), kind = struct.unpack(">I", data[pos : pos + 4]), data[pos + 4 : pos + 8]
        chunks.setdefault(kind, []).append(data[pos + 8 : pos + 8 + length])
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"][0])
    assert depth == 8 and colour in (2, 6) and not interlace, f"a PNG this check does not read: {depth=} {colour=}"
    channels = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(b"".join(chunks[b"IDAT"])), width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):  # undo the row's filter (PNG spec, section 9)
            left = line[i - channels] if i >= channels else 0
            up, corner = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        rows.append([tuple(line[x : x + 3]) for x in range(0, stride, channels)])
        previous = line
    return width, height, rows


def assert_rendered_screenshot(png, where):
    """The screenshot shows a drawn page: many colours (text, chart lines, widgets), not a blank or a skeleton."""
    where.write_bytes(png)
    width, height, rows = png_pixels(png)
    pixels = [pixel for row in rows for pixel in row]
    colours = set(pixels)
    inked = sum(1 for r, g, b in pixels if min(r, g, b) < 200) / len(pixels)
    # The chart's two lines are drawn in blues: pixels with blue well above red.
    blue = sum(1 for r, g, b in pixels if b > r + 80)
    assert width >= 800 and height >= 600, (width, height)
    assert len(colours) >= 100, f"{where}: {len(colours)} colours, a blank page or a skeleton"
    assert inked > 0.01, f"{where}: {inked:.2%} of the pixels are drawn"
    assert blue > 200, f"{where}: {blue} blue pixels, no chart lines"


def use_the_app(driver, url, screenshot):
    """Open the app, wait for it to render, check what it shows, change the deposit, see the balance move."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as shown
    from selenium.webdriver.support.ui import WebDriverWait

    def visible(css):
        return WebDriverWait(driver, RENDER_TIMEOUT).until(shown.visibility_of_element_located((By.CSS_SELECTOR, css)))

    def metric():
        return driver.find_element(By.CSS_SELECTOR, "[data-testid='stMetricValue']").text

    def script_state(_):  # the script's state, which the frontend writes on its root element
        return driver.find_element(By.CSS_SELECTOR, "[data-testid='stApp']").get_attribute("data-test-script-state")

    driver.get(url)
    WebDriverWait(driver, RENDER_TIMEOUT).until(lambda d: script_state(d) == "notRunning")
    assert visible("h1").text == TITLE
    assert driver.title == TITLE
    chart = visible("[data-testid='stVegaLiteChart'] svg, [data-testid='stVegaLiteChart'] canvas")
    assert chart.size["width"] > 200 and chart.size["height"] > 100, chart.size
    before = visible("[data-testid='stMetricValue']").text
    deposit = driver.find_element(By.CSS_SELECTOR, "[data-testid='stNumberInput'] input")
    assert deposit.get_attribute("value") == "200"
    driver.find_element(By.CSS_SELECTOR, "[data-testid='stNumberInputStepUp']").click()
    WebDriverWait(driver, RENDER_TIMEOUT).until(lambda d: metric() != before and script_state(d) == "notRunning")
    assert deposit.get_attribute("value") == "250"
    assert float(metric().replace(",", "")) > float(before.replace(",", "")), (before, metric())
    assert_rendered_screenshot(driver.get_screenshot_as_png(), screenshot)


@pytest.mark.slow
@pytest.mark.docker
def test_chromium_renders_the_production_image_and_a_widget_changes_the_result(app_replicas, chromium, tmp_path):
    use_the_app(chromium, f"http://127.0.0.1:{app_replicas.ports[0]}/", tmp_path / "production-image.png")


@pytest.mark.slow
@pytest.mark.docker
def test_chromium_renders_the_app_through_three_replicas_behind_a_balancer(app_replicas, chromium, tmp_path):
    if not haproxy_binary():
        pytest.skip("no haproxy (Debian's package) to balance the replicas with; .ci/run installs it")
    with balancer(tmp_path, app_replicas.ports) as lb:
        use_the_app(chromium, lb.url + "/", tmp_path / "through-the-balancer.png")
        cookies = {cookie["name"] for cookie in chromium.get_cookies()}
    assert "SRV" in cookies, f"the balancer's persistence cookie is missing: {sorted(cookies)}"
