"""Opens the classroom pages `layers --html` wrote in headless Chromium (Debian's, driven by
Playwright) from file URLs, and checks what a teacher would do with them. Run by
tests/html.rs; prints one line per check and exits 1 if any failed.

    python3 tests/html_browser.py KIND=PAGE.html ... --shots DIR

KIND is frame (one frame, from encode), capture (decode of a capture), journey or tcp.
Every page: no console error, no request but its own file, the language switch works,
and a screenshot of it in DIR.
"""
import json
import os
import re
import sys

from playwright.sync_api import sync_playwright

# Chromium as the machine's probe starts it: no background connections to refuse.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def frames_of(path):
    """The frames the page holds: each line a list row, a tab and the rest."""
    text = open(path, encoding="utf-8").read()
    start = text.index('id="frames">') + len('id="frames">')
    end = text.index("</script>", start)
    frames = []
    for line in text[start:end].split("\n"):
        if line:
            row, rest = line.split("\t", 1)
            frames.append({**json.loads(row), **json.loads(rest)})
    return frames


def page_of(path):
    """The page's own data (words, title, a journey's steps, a ladder)."""
    text = open(path, encoding="utf-8").read()
    start = text.index('id="page">') + len('id="page">')
    return json.loads(text[start:text.index("</script>", start)])


def has_class(page, selector, cls):
    return page.eval_on_selector_all(
        selector, "(els, c) => els.length > 0 && els.every(e => e.classList.contains(c))", cls)


def lit_bytes(page):
    return page.eval_on_selector_all(
        ".hex .b.hl", "els => els.map(e => Number(e.getAttribute('data-i')))")


def tcp_port_checks(page, frame, name):
    """A TCP port's byte lights its field and its diagram box, and the other way round."""
    tcp = next((l for l in frame["layers"] if l["id"] == "tcp" and not l["quoted"]), None)
    check(tcp is not None, f"{name}: the frame has a TCP layer")
    if tcp is None:
        return
    start = tcp["hdr"][0]
    page.hover(f'.hex .b[data-i="{start}"]')
    check(has_class(page, '#fields li[data-key="tcp:source_port"]', "hl"),
          f"{name}: hovering byte {start} lights the source_port field")
    check(has_class(page, '#diagrams .cell[data-key="tcp:source_port"]', "hl"),
          f"{name}: hovering byte {start} lights the Source Port box of the diagram")
    check(lit_bytes(page) == [start, start + 1],
          f"{name}: hovering byte {start} lights bytes {start}-{start + 1} only: {lit_bytes(page)}")
    page.hover('#diagrams .cell[data-key="tcp:destination_port"]')
    check(lit_bytes(page) == [start + 2, start + 3],
          f"{name}: the Destination Port box lights bytes {start + 2}-{start + 3}: {lit_bytes(page)}")
    check(has_class(page, '#fields li[data-key="tcp:destination_port"]', "hl"),
          f"{name}: the Destination Port box lights the destination_port field")
    page.hover('#fields li[data-key="tcp:source_port"]')
    check(lit_bytes(page) == [start, start + 1],
          f"{name}: the source_port field lights its two bytes: {lit_bytes(page)}")
    # Focus does what hovering does (Tab reaches every field), and the keyboard moves
    # through the bytes: focus, then End.
    page.mouse.move(0, 0)
    page.focus('#fields li[data-key="tcp:destination_port"]')
    check(lit_bytes(page) == [start + 2, start + 3],
          f"{name}: focusing the destination_port field lights its bytes: {lit_bytes(page)}")
    # The keyboard reaches the bytes too: focus, then an arrow key moves the cursor.
    page.focus("#hex")
    page.keyboard.press("End")
    last = frame["len"] - 1
    check(page.eval_on_selector(".hex .b.cur", "e => Number(e.getAttribute('data-i'))") == last,
          f"{name}: End moves the byte cursor to the last byte")


def frame_checks(page, frames, name, data):
    frame = frames[0]
    tcp_port_checks(page, frame, name)
    # Encapsulation top-down: the first step is the data alone, every byte outside dimmed.
    own = [l for l in frame["layers"] if not l["quoted"]]
    page.click("#step-next")
    top = own[-1]
    dim = page.eval_on_selector_all(".hex .b.dim", "els => els.length")
    check(dim == frame["len"] - (top["span"][1] - top["span"][0]),
          f"{name}: step 1 shows only the {top['id']} bytes ({dim} of {frame['len']} dimmed)")
    for _ in own:
        page.click("#step-next")
    text = page.inner_text("#steptext")
    check(str(len(own)) in text and "bits" in text,
          f"{name}: the last step is the bits on the wire: {text!r}")
    boxes = page.eval_on_selector_all("#boxes .box", "els => els.length")
    check(boxes == len(own), f"{name}: one nested box per layer ({boxes})")
    for part in ["preamble", "SFD", "FCS", "gap"]:
        check(part in page.inner_text("#boxes"), f"{name}: the physical box shows the {part}")


def capture_checks(page, frames, name, data):
    rows = page.eval_on_selector_all("#packets tbody tr", "els => els.length")
    check(rows == len(frames), f"{name}: the list has one row per frame ({rows})")
    count = page.inner_text("#count")
    check(f"{len(frames)} of {len(frames)}" in count, f"{name}: the count says {count!r}")
    # The filter: what the rows say, narrowed by a word of one of them.
    word = "HTTP" if any(f["proto"] == "HTTP" for f in frames) else frames[-1]["proto"]
    want = sum(1 for f in frames
               if word.lower() in " ".join([str(f["n"]), f["tt"] or "", f["src"], f["dst"],
                                            f["proto"], f["sum"] if isinstance(f["sum"], str)
                                            else f["sum"]["en"]]).lower())
    page.fill("#filter", word)
    shown = page.eval_on_selector_all("#packets tbody tr:not([hidden])", "els => els.length")
    check(0 < shown == want < len(frames) or shown == want == len(frames),
          f"{name}: filtering by {word!r} shows {shown} rows, {want} expected")
    check(f"{want} of {len(frames)}" in page.inner_text("#count"), f"{name}: the count follows the filter")
    page.fill("#filter", "")
    # Selecting a frame shows it.
    pick = min(3, len(frames) - 1)
    page.click(f'#packets tbody tr[data-frame="{frames[pick]["n"]}"]')
    title = page.inner_text("#frame-title")
    check(title.startswith(f"Frame {frames[pick]['n']}:"), f"{name}: a click shows that frame: {title!r}")
    bad = [f["n"] for f in frames if f["bad"]]
    marked = page.eval_on_selector_all("#packets tbody tr.bad", "els => els.map(e => Number(e.dataset.frame))")
    check(marked == bad, f"{name}: frames with errors are marked in the list: {marked}")


def journey_checks(page, frames, name, data):
    steps = data["journey"]["steps"]
    hops = page.eval_on_selector_all("#journey .hop", "els => els.length")
    sending = sum(1 for s in steps if s["frame"] is not None)
    check(hops == sending > 0, f"{name}: each step that sends a frame links to it ({hops} of {len(steps)})")
    nodes = page.eval_on_selector_all("#path .node", "els => els.map(e => e.dataset.kind)")
    check("router" in nodes and "switch" in nodes, f"{name}: the path shows a switch and a router: {nodes}")
    # At the router the TTL goes down by one and the checksum changes: the page marks them.
    page.click('#journey .hop[data-routed="true"]')
    changed = page.eval_on_selector_all(
        "#fields li.changed", "els => els.map(e => e.getAttribute('data-key'))")
    check("ip:ttl" in changed and "ip:checksum" in changed,
          f"{name}: after the router the TTL and checksum are marked as changed: {changed}")
    routed = next(f for f in frames if f.get("changed"))
    marked = page.eval_on_selector_all(".hex .b.changed", "els => els.map(e => Number(e.dataset.i))")
    check(marked == routed["changed"]["bytes"] and 22 in marked,
          f"{name}: the changed bytes, TTL (byte 22) among them, are marked in the hex: {marked}")
    read = page.eval_on_selector_all("#boxes .box.read", "els => els.length")
    check(read == 3, f"{name}: the router read layers 1-3, and their boxes say so ({read})")


def tcp_checks(page, frames, name, data):
    arrows = page.eval_on_selector_all("#ladder .seg", "els => els.length")
    check(arrows > 0, f"{name}: the ladder draws segments as arrows ({arrows})")
    states = page.inner_text("#ladder")
    for st in ["SYN_SENT", "ESTABLISHED", "TIME_WAIT", "CLOSED"]:
        check(st in states, f"{name}: the ladder names {st}")
    check(page.eval_on_selector_all("#ladder .msl", "els => els.length") == 1,
          f"{name}: TIME_WAIT's 2MSL is drawn as a span")


# WCAG 2's contrast ratio of every text on the page against what lies behind it (AA asks
# 4.5:1 for text), taken from the colours the browser computed, highlights included.
CONTRAST = """() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const back = (e) => {
    for (; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  let worst = { ratio: 99 };
  for (const e of document.querySelectorAll("body *")) {
    const own = [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || e.closest("svg") || e.offsetParent === null) continue;
    const st = getComputedStyle(e);
    if (Number(st.opacity) < 1 || e.closest(".dim")) continue;  // dimmed on purpose by the stepper
    const a = lum(rgb(st.color)), b = lum(back(e));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < worst.ratio) worst = { ratio, text: e.textContent.slice(0, 40), cls: e.className, color: st.color, bg: back(e) };
  }
  return worst;
}"""


def contrast_check(page, name, when):
    worst = page.evaluate(CONTRAST)
    check(worst["ratio"] >= 4.5, f"{name}: every text has contrast 4.5:1 or more {when}: worst {worst}")


CHECKS = {"frame": frame_checks, "capture": capture_checks, "journey": journey_checks, "tcp": tcp_checks}


def main():
    args = sys.argv[1:]
    shots = args[args.index("--shots") + 1]
    pages = [a.split("=", 1) for a in args if "=" in a]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for kind, path in pages:
            frames = frames_of(path)
            name = f"{kind} page"
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            errors, requests = [], []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            url = "file://" + path
            page.goto(url)
            page.wait_for_selector("#frame h2")
            contrast_check(page, name, "as it opens")
            CHECKS[kind](page, frames, name, page_of(path))
            contrast_check(page, name, "after the checks (highlights, selections)")
            # Chinese, then back: the page's own words come in both languages.
            page.click('.lang button[value="zh"]')
            check(re.search("[\u4e00-\u9fff]", page.inner_text("main")) is not None,
                  f"{name}: the 中文 button switches the page to Chinese")
            page.click('.lang button[value="en"]')
            # The picture: the top of the page, with a TCP port lit on a frame page.
            page.evaluate("window.scrollTo(0, 0)")
            page.mouse.move(0, 0)
            if kind == "frame":
                tcp = next(l for l in frames[0]["layers"] if l["id"] == "tcp")
                page.hover(f'.hex .b[data-i="{tcp["hdr"][0]}"]')
            page.screenshot(path=f"{shots}/{os.path.basename(path)[:-5]}.png")
            check(errors == [], f"{name}: no console error {errors}")
            check(requests == [url], f"{name}: no request but the file itself {requests}")
            page.close()
        browser.close()
    print(f"{len(failures)} failed")
    sys.exit(1 if failures else 0)


main()
