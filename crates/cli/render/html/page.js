// The classroom page: draws the frames that `layers` embedded in this file (one JSON
// object per line in #frames, the page's words in both languages in #page), and ties
// every byte, field, diagram box and layer box to the same bytes. No network, no library:
// everything it needs is in this file. Text from packets is set with textContent only.
"use strict";
(function () {
  const page = JSON.parse(document.getElementById("page").textContent);
  // Each frame is a line: its row in the packet list, a tab, the rest, read when shown.
  const frames = document.getElementById("frames").textContent.split("\n")
    .filter((l) => l.length > 0).map((l) => {
      const tab = l.indexOf("\t");
      const row = JSON.parse(l.slice(0, tab));
      row.raw = l.slice(tab + 1);
      return row;
    });
  // Frame k whole: its layers take their place in the model from the page's table of
  // protocols, their fields their names (the key, and a Chinese name where it differs).
  function full(k) {
    const f = frames[k];
    if (f && f.raw !== undefined) {
      Object.assign(f, JSON.parse(f.raw));
      delete f.raw;
      for (const l of f.layers) {
        Object.assign(l, page.protocols[l.id]);
        l.d.title = l.title;
        l.f = l.f.map(([key, value, s, e, zh]) => [key, zh ? { en: key, zh } : key, value, s, e]);
      }
    }
    return f;
  }
  let lang = page.lang;
  let current = 0; // index into frames of the frame shown
  let step = -1; // encapsulation step shown (-1: the whole frame)
  let reader = null; // the journey's step whose frame is shown: what its device read
  let hlEls = [];
  // A word of the page with its placeholders filled, as the CLI fills them: {} the next
  // argument, {N} the N-th, {s} an English plural ending after the last one.
  const S = (key, ...args) => {
    const t = (page.strings[key] || {})[lang] || key;
    let next = 0, last = null;
    return t.replace(/\{(\d*|s)\}/g, (_, i) => {
      if (i === "s") return last === 1 || last === "1" ? "" : "s";
      const v = args[i === "" ? next++ : Number(i)];
      last = v;
      return String(v);
    });
  };
  const tx = (v) => (v === null || v === undefined) ? "" : (typeof v === "string" ? v : v[lang]);
  const el = (tag, attrs, ...kids) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") e.textContent = v;
      else if (k === "cls") e.className = v;
      else e.setAttribute(k, v);
    }
    for (const k of kids) if (k) e.append(k);
    return e;
  };
  const $ = (id) => document.getElementById(id);

  // ---- what a hover or a focus points at -------------------------------------------
  // A target is a byte range [s, e) and the elements (field rows, diagram boxes, layer
  // boxes) that stand for it.
  let index = null; // per frame: bytes -> elements, field key -> elements
  function newIndex(f) {
    return { hex: new Array(f.len), asc: new Array(f.len), keys: new Map(), boxes: [] };
  }
  function addKey(key, e) {
    if (!index.keys.has(key)) index.keys.set(key, []);
    index.keys.get(key).push(e);
  }
  function clearHl() {
    for (const e of hlEls) e.classList.remove("hl");
    hlEls = [];
  }
  function mark(e) { if (e) { e.classList.add("hl"); hlEls.push(e); } }
  function highlight(s, e, key, extra) {
    clearHl();
    for (let i = s; i < e && i < index.hex.length; i++) { mark(index.hex[i]); mark(index.asc[i]); }
    if (key) for (const x of index.keys.get(key) || []) mark(x);
    if (extra) mark(extra);
  }
  // The field that byte i belongs to: in the innermost layer whose own header (or, for
  // the payload and the link's trailer, whose fields) hold it, the narrowest field.
  function byteTarget(f, i) {
    let best = null;
    f.layers.forEach((l, li) => {
      if (l.osi === 1) return;
      l.f.forEach((fd, fi) => {
        const s = fd[3], e = fd[4];
        if (s <= i && i < e) {
          const w = e - s;
          if (!best || li > best.li || (li === best.li && w < best.w)) best = { li, fi, s, e, w };
        }
      });
    });
    if (best) return best;
    for (let li = f.layers.length - 1; li >= 0; li--) {
      const l = f.layers[li];
      if (l.osi !== 1 && l.hdr[0] <= i && i < l.hdr[1]) return { li, fi: -1, s: l.hdr[0], e: l.hdr[1] };
    }
    return null;
  }
  function hoverable(e, fn) {
    e.addEventListener("mouseenter", fn);
    e.addEventListener("focus", fn);
  }

  // ---- the frame ----------------------------------------------------------------------
  function fieldKey(li, fi) { return li + ":" + fi; }

  function drawFrame() {
    const f = full(current);
    const box = $("frame");
    box.replaceChildren();
    if (!f) { box.append(el("p", { text: S("no_frames") })); return; }
    index = newIndex(f);
    const title = S("frame_title", f.n, f.len, f.orig) + (f.t ? " · " + f.t : "") + " · " + f.link;
    box.append(el("h2", { text: title, id: "frame-title" }));
    if (reader) {
      const node = page.journey.nodes[reader.node];
      box.append(el("p", { cls: "note read-note", text: S("read_by", node.name, tx(node.kind_text), tx(node.reads)) }));
    }
    if (f.copy_of) box.append(el("p", { cls: "note", text: S("unchanged", f.copy_of.from) }));
    if (f.changed) {
      box.append(el("p", { cls: "note changed-note", text: S("changed", f.changed.from, f.changed.bytes.length) }));
    }
    box.append(stepper(f));
    box.append(el("section", { "aria-labelledby": "h-layers" },
      el("h3", { id: "h-layers", text: S("sec_layers") }), boxes(f)));
    box.append(el("section", { "aria-labelledby": "h-bytes" },
      el("h3", { id: "h-bytes", text: S("sec_bytes") }), legend(f), hexGrid(f)));
    box.append(el("section", { "aria-labelledby": "h-fields" },
      el("h3", { id: "h-fields", text: S("sec_fields") }), fieldTree(f)));
    box.append(el("section", { "aria-labelledby": "h-diagrams" },
      el("h3", { id: "h-diagrams", text: S("sec_diagrams") }), diagrams(f)));
    if (f.err.length) {
      box.append(el("section", {}, el("h3", { text: S("sec_errors") }),
        el("ul", { cls: "errors" }, ...f.err.map((e) => el("li", { text: tx(e) })))));
    }
    markChanges(f);
    applyStep();
  }

  // What a router changed (bytes and fields, marked with a Δ as well as a colour), and
  // which layers the device read.
  function markChanges(f) {
    if (f.changed) {
      for (const i of f.changed.bytes) {
        if (index.hex[i]) index.hex[i].classList.add("changed");
      }
      for (const [key, old] of f.changed.fields) {
        document.querySelectorAll('#fields li[data-key="' + key + '"]').forEach((li) => {
          li.classList.add("changed");
          li.append(el("span", { cls: "was", text: "Δ " + S("was", old) }));
        });
      }
    }
    if (reader) {
      document.querySelectorAll("#boxes .box").forEach((b) => {
        const l = f.layers[Number(b.getAttribute("data-layer"))];
        if (l && l.osi <= page.journey.nodes[reader.node].osi) b.classList.add("read");
      });
    }
  }

  // Own layers (not quoted), outermost first: the stack the boxes and the steps follow.
  function stack(f) { return f.layers.map((l, li) => ({ l, li })).filter((x) => !x.l.quoted); }

  function layerLabel(l) {
    const devs = tx(l.dev);
    const label = el("div", { cls: "label" }, el("span", { cls: "letter", text: l.letter }),
      document.createTextNode(S("layer_line", l.osi, tx(l.layer), tx(l.proto), tx(l.pdu))));
    const bytes = l.span[1] > l.span[0] ? S("bytes_range", l.span[0], l.span[1] - 1) : "";
    const hdr = l.hdr[1] - l.hdr[0];
    label.append(" ", el("small", { text: [devs ? S("devices", devs) : S("no_devices"),
      hdr > 0 ? S("header_size", hdr) : "", bytes].filter((x) => x).join(" · ") }));
    return label;
  }

  function part(text, s, e, key) {
    const p = el("span", { cls: "part", tabindex: "0", text });
    hoverable(p, () => highlight(s, e, key, p));
    return p;
  }

  // The layer stack as nested boxes: each box holds its header, the layer above it, and
  // what it adds after that layer (padding, FCS); the physical box adds preamble, SFD, gap.
  function boxes(f) {
    const own = stack(f);
    let inner = null;
    for (let k = own.length - 1; k >= 0; k--) {
      const { l, li } = own[k];
      const b = el("div", { cls: "box k-" + l.look, tabindex: "0", "data-layer": String(li) });
      b.append(layerLabel(l));
      hoverable(b, (ev) => { if (ev.target === b) highlight(l.span[0], l.span[1], null, b); });
      const named = (n) => l.f.findIndex((fd) => fd[0] === n);
      if (l.osi === 1) {
        const pre = named("preamble"), sfd = named("sfd"), gap = named("interframe_gap");
        if (pre >= 0) b.append(part(S("preamble", 7), 0, 0, fieldKey(li, pre)));
        if (sfd >= 0) b.append(part(S("sfd", 1), 0, 0, fieldKey(li, sfd)));
        if (inner) b.append(inner);
        if (gap >= 0) b.append(part(S("gap", tx(l.f[gap][2])), 0, 0, fieldKey(li, gap)));
      } else {
        const hdr = l.hdr[1] - l.hdr[0];
        if (hdr > 0 && !(inner === null && l.osi === 7)) {
          b.append(part(S("header_part", tx(l.proto), hdr), l.hdr[0], l.hdr[1], null));
        } else if (hdr > 0) {
          b.append(part(S("data_part", hdr), l.hdr[0], l.hdr[1], null));
        }
        if (inner) b.append(inner);
        const pad = named("padding"), fcs = named("fcs");
        if (pad >= 0 && l.f[pad][4] > l.f[pad][3]) {
          b.append(part(S("padding", l.f[pad][4] - l.f[pad][3]), l.f[pad][3], l.f[pad][4], fieldKey(li, pad)));
        }
        if (fcs >= 0) {
          const had = l.f[fcs][4] > l.f[fcs][3];
          b.append(part(had ? S("fcs", 4) : S("fcs_computed", 4), l.f[fcs][3], l.f[fcs][4], fieldKey(li, fcs)));
        }
      }
      inner = b;
    }
    const wrap = el("div", { id: "boxes" });
    if (inner) wrap.append(inner);
    return wrap;
  }

  function legend(f) {
    const seen = new Set();
    const lg = el("div", { cls: "legend" });
    for (const l of f.layers) {
      if (l.osi === 1 || seen.has(l.letter)) continue;
      seen.add(l.letter);
      lg.append(el("span", { cls: "k-" + l.look }, el("span", { cls: "letter", text: l.letter }),
        document.createTextNode(tx(l.proto))));
    }
    lg.append(el("span", { cls: "k-pad" }, el("span", { cls: "letter", text: "p" }),
      document.createTextNode(S("not_a_header"))));
    return lg;
  }

  // Whose look each byte takes: the innermost layer whose own header holds it.
  function owners(f) {
    const own = new Array(f.len).fill(-1);
    f.layers.forEach((l, li) => {
      if (l.osi === 1) return;
      for (let i = l.hdr[0]; i < l.hdr[1] && i < f.len; i++) own[i] = li;
    });
    return own;
  }

  function hexGrid(f) {
    const own = owners(f);
    const t = el("table", { cls: "hex", id: "hex", tabindex: "0", role: "grid",
      "aria-label": S("sec_bytes") });
    let cursor = 0;
    const bytes = [];
    for (let i = 0; i < f.len; i++) bytes.push(parseInt(f.hex.substr(i * 2, 2), 16));
    const tb = el("tbody");
    for (let row = 0; row < f.len; row += 16) {
      const hexTd = el("td"), ascTd = el("td", { cls: "ascii" });
      for (let i = row; i < Math.min(row + 16, f.len); i++) {
        const l = own[i] >= 0 ? f.layers[own[i]] : null;
        const look = l ? l.look : "pad", letter = l ? l.letter : "p";
        const b = el("span", { cls: "b k-" + look, "data-i": String(i), title: String(i) },
          document.createTextNode(f.hex.substr(i * 2, 2)), el("small", { text: letter }));
        const c = bytes[i];
        const a = el("span", { cls: "a", "data-a": String(i),
          text: c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : "." });
        index.hex[i] = b; index.asc[i] = a;
        const over = () => {
          const tg = byteTarget(f, i);
          if (tg) highlight(tg.s, tg.e, tg.fi >= 0 ? fieldKey(tg.li, tg.fi) : null, null);
          else highlight(i, i + 1, null, null);
        };
        b.addEventListener("mouseenter", over);
        a.addEventListener("mouseenter", over);
        hexTd.append(b);
        ascTd.append(a);
      }
      tb.append(el("tr", {}, el("td", { cls: "off", text: row.toString(16).padStart(4, "0") }), hexTd, ascTd));
    }
    t.append(tb);
    // The keyboard moves a cursor through the bytes: arrows, Home, End.
    const moveTo = (i) => {
      if (f.len === 0) return;
      index.hex[cursor].classList.remove("cur");
      cursor = Math.max(0, Math.min(f.len - 1, i));
      const b = index.hex[cursor];
      b.classList.add("cur");
      b.dispatchEvent(new Event("mouseenter"));
      t.setAttribute("aria-activedescendant", "");
    };
    t.addEventListener("focus", () => moveTo(cursor));
    t.addEventListener("keydown", (ev) => {
      const d = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: 16, ArrowUp: -16 }[ev.key];
      if (d !== undefined) { moveTo(cursor + d); ev.preventDefault(); }
      else if (ev.key === "Home") { moveTo(0); ev.preventDefault(); }
      else if (ev.key === "End") { moveTo(f.len - 1); ev.preventDefault(); }
    });
    return el("div", { cls: "hexwrap" }, t);
  }

  function fieldTree(f) {
    const wrap = el("div", { cls: "fields", id: "fields" });
    f.layers.forEach((l, li) => {
      const d = el("details", { open: "" });
      const sum = el("summary", {}, el("span", { cls: "letter", text: l.letter }),
        document.createTextNode(S("layer_line", l.osi, tx(l.layer), tx(l.proto), tx(l.pdu)) +
          (l.quoted ? " " + S("quoted") : "")));
      d.append(sum);
      const ul = el("ul");
      l.f.forEach((fd, fi) => {
        const [key, name, value, s, e] = fd;
        const li2 = el("li", { tabindex: "0", "data-key": l.id + ":" + key, "data-field": fieldKey(li, fi) },
          el("span", { cls: "name", text: tx(name) }), el("span", { cls: "value", text: tx(value) }),
          el("span", { cls: "span", text: e > s ? S("bytes_range", s, e - 1) : S("not_captured") }));
        addKey(fieldKey(li, fi), li2);
        hoverable(li2, () => highlight(s, e, fieldKey(li, fi), null));
        ul.append(li2);
      });
      d.append(ul);
      wrap.append(d);
    });
    return wrap;
  }

  function diagrams(f) {
    const wrap = el("div", { id: "diagrams" });
    f.layers.forEach((l, li) => {
      if (!l.d || l.d.cells.length === 0) return;
      const d = el("div", { cls: "diagram", "data-layer": String(li) });
      d.append(el("h4", { text: l.d.title + (l.quoted ? " " + S("quoted") : "") }));
      const ruler = el("div", { cls: "ruler", "aria-hidden": "true" });
      for (let b = 0; b < 32; b++) ruler.append(el("span", { text: String(b % 10) }));
      d.append(ruler);
      const grid = el("div", { cls: "grid" });
      const base = l.hdr[0];
      for (const [start, end, label, value, fi] of l.d.cells) {
        // A box that crosses a 32-bit row is drawn once a row, the later pieces unnamed.
        for (let lo = Math.floor(start / 32) * 32; lo < end; lo += 32) {
          const a = Math.max(start, lo), b = Math.min(end, lo + 32);
          const first = a === start;
          const c = el("div", { cls: "cell", tabindex: first ? "0" : "-1",
            style: "grid-row:" + (lo / 32 + 1) + ";grid-column:" + (a - lo + 1) + "/" + (b - lo + 1) },
          document.createTextNode(first ? label : "…"), el("span", { cls: "v", text: first ? value : "" }));
          if (fi >= 0) {
            c.setAttribute("data-key", l.id + ":" + l.f[fi][0]);
            addKey(fieldKey(li, fi), c);
          }
          const s = base + Math.floor(start / 8), e = base + Math.ceil(end / 8);
          hoverable(c, () => {
            if (fi >= 0) highlight(l.f[fi][3], l.f[fi][4], fieldKey(li, fi), null);
            else highlight(s, e, null, c);
          });
          grid.append(c);
        }
      }
      d.append(grid);
      if (l.d.rest) d.append(el("p", { cls: "note", text: tx(l.d.rest) }));
      wrap.append(d);
    });
    return wrap;
  }

  // ---- encapsulation, one step at a time ----------------------------------------------
  // Step 0 is the application's data (or the top layer), each later step wraps it in the
  // next layer down, the last one is the bits on the wire.
  function steps(f) { return stack(f).slice().reverse(); }
  function stepper(f) {
    const st = steps(f);
    const text = el("span", { cls: "steptext", id: "steptext", "aria-live": "polite" });
    const prev = el("button", { id: "step-prev", text: S("step_prev") });
    const next = el("button", { id: "step-next", text: S("step_next") });
    const all = el("button", { id: "step-all", text: S("step_all") });
    prev.addEventListener("click", () => { step = step < 0 ? st.length - 1 : Math.max(0, step - 1); applyStep(); });
    next.addEventListener("click", () => { step = step < 0 ? 0 : Math.min(st.length - 1, step + 1); applyStep(); });
    all.addEventListener("click", () => { step = -1; applyStep(); });
    return el("section", { cls: "steps" }, el("strong", { text: S("sec_steps") }), prev, next, all, text);
  }
  function applyStep() {
    const f = full(current);
    if (!f) return;
    const st = steps(f);
    const text = $("steptext");
    document.querySelectorAll(".box").forEach((b) => b.classList.remove("dim"));
    index.hex.forEach((b, i) => { b.classList.remove("dim"); index.asc[i].classList.remove("dim"); });
    if (step < 0 || step >= st.length) { text.textContent = S("step_whole", st.length); return; }
    const { l, li } = st[step];
    const size = l.span[1] - l.span[0];
    const added = l.hdr[1] - l.hdr[0];
    let what;
    if (step === 0) what = S("step_first", tx(l.layer), tx(l.proto), tx(l.pdu), size);
    else if (l.osi === 1) what = S("step_bits", tx(l.layer), f.bits === null ? "-" : f.bits);
    else what = S("step_add", tx(l.layer), tx(l.proto), added, tx(l.pdu), size);
    text.textContent = S("step_of", step + 1, st.length) + " " + what;
    // Layers above the step's are inside it; layers below it are not built yet.
    const inside = new Set(st.slice(0, step + 1).map((x) => x.li));
    document.querySelectorAll(".box").forEach((b) => {
      if (!inside.has(Number(b.getAttribute("data-layer")))) b.classList.add("dim");
    });
    if (l.osi !== 1) {
      index.hex.forEach((b, i) => {
        if (i < l.span[0] || i >= l.span[1]) { b.classList.add("dim"); index.asc[i].classList.add("dim"); }
      });
    }
  }

  // ---- the capture's packet list ------------------------------------------------------
  function drawList() {
    const sec = $("list");
    if (frames.length < 2 && !page.left_out) { sec.hidden = true; return; }
    sec.hidden = false;
    sec.replaceChildren();
    sec.append(el("h2", { text: S("sec_list") }));
    const input = el("input", { id: "filter", type: "search", placeholder: S("filter_hint"),
      "aria-label": S("filter_label") });
    const count = el("span", { id: "count", "aria-live": "polite" });
    sec.append(el("div", { cls: "listbar" }, el("label", { for: "filter", text: S("filter_label") }), input, count));
    const table = el("table", { cls: "list", id: "packets" });
    const cols = ["col_no", page.journey ? "col_link" : "col_time", "col_src", "col_dst", "col_proto", "col_info"];
    const head = el("tr", {}, ...cols
      .map((k) => el("th", { scope: "col", text: S(k) })));
    table.append(el("thead", {}, head));
    const body = el("tbody");
    frames.forEach((f, k) => {
      const tr = el("tr", { tabindex: "0", "data-frame": String(f.n), cls: (f.bad ? "bad" : "") + (k === current ? " sel" : "") },
        el("td", { text: String(f.n) }), el("td", { text: f.tt || "-" }), el("td", { text: f.src }),
        el("td", { text: f.dst }), el("td", { text: f.proto }), el("td", { text: tx(f.sum) }));
      tr.addEventListener("click", () => select(k));
      tr.addEventListener("keydown", (ev) => {
        if (ev.key === "Enter" || ev.key === " ") { select(k); ev.preventDefault(); }
        const rows = [...body.rows].filter((r) => !r.hidden);
        const at = rows.indexOf(tr);
        if (ev.key === "ArrowDown" && at + 1 < rows.length) { rows[at + 1].focus(); ev.preventDefault(); }
        if (ev.key === "ArrowUp" && at > 0) { rows[at - 1].focus(); ev.preventDefault(); }
      });
      body.append(tr);
    });
    table.append(body);
    sec.append(el("div", { cls: "listwrap" }, table));
    const filter = () => {
      const q = input.value.trim().toLowerCase();
      let shown = 0;
      frames.forEach((f, k) => {
        const hay = [String(f.n), f.tt || "", f.src, f.dst, f.proto, tx(f.sum)].join(" ").toLowerCase();
        const on = q === "" || hay.includes(q);
        body.rows[k].hidden = !on;
        if (on) shown++;
      });
      count.textContent = S("shown_count", shown, frames.length);
    };
    input.addEventListener("input", filter);
    filter();
    if (page.left_out) sec.append(el("p", { cls: "note", id: "left-out",
      text: S("left_out", frames.length, frames.length + page.left_out, page.left_out) }));
  }
  function select(k, at) {
    current = k;
    step = -1;
    reader = at === undefined ? null : page.journey.steps[at];
    document.querySelectorAll("#packets tbody tr").forEach((r, i) => r.classList.toggle("sel", i === k));
    drawFrame();
  }

  // ---- a journey: the devices in order, and every step --------------------------------
  function drawJourney() {
    const sec = $("journey");
    const J = page.journey;
    if (!J) return;
    sec.hidden = false;
    sec.replaceChildren(el("h2", { text: S("sec_journey") }), el("h3", { text: S("sec_path") }));
    const path = el("div", { id: "path", cls: "path" });
    J.nodes.forEach((n, i) => {
      if (i > 0) path.append(el("span", { cls: "wire", "aria-hidden": "true", text: "⟷" }));
      path.append(el("div", { cls: "node", "data-kind": n.kind, "data-device": n.name },
        el("strong", { text: n.name }), el("span", { text: tx(n.kind_text) }), el("small", { text: tx(n.reads) })));
    });
    sec.append(path, el("h3", { text: S("sec_hops") }));
    const ol = el("ol", { cls: "hops" });
    J.steps.forEach((s, at) => {
      const li = el("li", { cls: "step", "data-device": s.device },
        el("strong", { text: s.device }), document.createTextNode(" (" + tx(s.kind_text) + ", " + tx(s.reads) + "): "),
        document.createTextNode(tx(s.text)));
      if (s.frame !== null && s.frame !== undefined) {
        const f = full(s.frame);
        li.classList.add("hop");
        li.setAttribute("tabindex", "0");
        li.setAttribute("data-frame", String(f.n));
        li.setAttribute("data-routed", String(Boolean(f.changed)));
        li.append(" ", el("span", { cls: "framelink", text: "→ " + S("frame_title", f.n, f.len, f.orig).split(":")[0] }));
        const go = () => { select(s.frame, at); $("frame").scrollIntoView(); };
        li.addEventListener("click", go);
        li.addEventListener("keydown", (ev) => { if (ev.key === "Enter" || ev.key === " ") { go(); ev.preventDefault(); } });
      }
      ol.append(li);
    });
    sec.append(ol);
  }

  // ---- a TCP ladder: the two ends, the segments as arrows, the states, 2MSL -------------
  const SVG = "http://www.w3.org/2000/svg";
  const svg = (tag, attrs, text) => {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
  };
  function drawLadder() {
    const L = page.ladder;
    if (!L) return;
    const sec = $("ladder-sec");
    sec.hidden = false;
    sec.replaceChildren(el("h2", { text: S("sec_ladder") }));
    const rows = L.entries.length, rowH = 52, top = 56, W = 1040, cx = 280, sx = 840;
    const H = top + rows * rowH + 30;
    const root = svg("svg", { viewBox: "0 0 " + W + " " + H, width: W, height: H, role: "img",
      "aria-label": S("sec_ladder") });
    const defs = svg("defs");
    const marker = svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 8, markerHeight: 8, orient: "auto-start-reverse" });
    marker.append(svg("path", { d: "M0,0 L10,5 L0,10 z", fill: "currentColor" }));
    defs.append(marker);
    root.append(defs);
    root.append(svg("text", { x: cx, y: 20, "text-anchor": "middle", class: "end" }, tx(L.client)));
    root.append(svg("text", { x: sx, y: 20, "text-anchor": "middle", class: "end" }, tx(L.server)));
    root.append(svg("text", { x: 8, y: 44, class: "ms" }, S("col_ms")));
    root.append(svg("line", { x1: cx, y1: 28, x2: cx, y2: H - 10, class: "life" }));
    root.append(svg("line", { x1: sx, y1: 28, x2: sx, y2: H - 10, class: "life" }));
    const table = el("table", { cls: "states" });
    table.append(el("thead", {}, el("tr", {}, el("th", { text: S("col_ms") }), el("th", { text: tx(L.client) }),
      el("th", { text: S("col_segment") }), el("th", { text: tx(L.server) }))));
    const body = el("tbody");
    let wait = null; // where TIME_WAIT started: its row and side
    L.entries.forEach((e, r) => {
      const y = top + r * rowH;
      root.append(svg("text", { x: 8, y: y + 16, class: "ms" }, String(e.t)));
      if (e.kind === "seg") {
        const fromClient = e.from === "client";
        const y1 = y + 12;
        let x1 = fromClient ? cx : sx, x2 = fromClient ? sx : cx, y2 = y + rowH - 6;
        if (e.lost) { x2 = (x1 + x2) / 2; y2 = (y1 + y2) / 2; }
        const g = svg("g", { class: "seg" + (e.lost ? " lost" : "") + (e.retx ? " retx" : ""), tabindex: 0,
          role: "button", "data-frame": frames[e.frame].n });
        g.append(svg("line", { x1, y1, x2, y2, "marker-end": e.lost ? "" : "url(#arrow)" }));
        const label = tx(e.label) + (e.retx ? " (" + S("retx") + ")" : "");
        g.append(svg("text", { x: (cx + sx) / 2, y: y + 6, "text-anchor": "middle", class: "lbl" }, label));
        if (e.lost) g.append(svg("text", { x: x2 + (fromClient ? 8 : -8), y: y2 + 5, "text-anchor": fromClient ? "start" : "end", class: "x" }, "✗ " + S("lost")));
        g.addEventListener("click", () => select(e.frame));
        g.addEventListener("keydown", (ev) => { if (ev.key === "Enter" || ev.key === " ") { select(e.frame); ev.preventDefault(); } });
        root.append(g);
        root.append(svg("text", { x: cx - 30, y: y + rowH - 4, "text-anchor": "end", class: "state" }, e.client));
        root.append(svg("text", { x: sx + 30, y: y + rowH - 4, class: "state" }, e.server));
        body.append(el("tr", {}, el("td", { text: String(e.t) }), el("td", { text: e.client }),
          el("td", { text: (fromClient ? "→ " : "← ") + label + (e.lost ? " ✗ " + S("lost") : "") }), el("td", { text: e.server })));
      } else {
        root.append(svg("text", { x: cx + 24, y: y + 28, class: "timer" }, "· " + tx(e.text)));
        body.append(el("tr", { cls: "timer" }, el("td", { text: String(e.t) }), el("td"), el("td", { text: "· " + tx(e.text) }), el("td")));
        if (e.event === "tw_start" && !wait) wait = { r, side: e.side };
        if (e.event === "tw_end" && wait) { msl(root, wait, r); wait = null; }
      }
    });
    if (wait) msl(root, wait, rows);
    function msl(root, w, r) {
      const x = (w.side === "client" ? cx : sx) - 7;
      const y1 = top + w.r * rowH + 6, y2 = top + r * rowH + 24;
      const g = svg("g", { class: "msl" });
      g.append(svg("rect", { x, y: y1, width: 14, height: Math.max(8, y2 - y1) }));
      // The bar's name runs down beside it, between the lifeline and the states.
      const lx = w.side === "client" ? x - 6 : x + 22, ly = (y1 + y2) / 2;
      g.append(svg("text", { x: lx, y: ly, "text-anchor": "middle", transform: "rotate(-90 " + lx + " " + ly + ")" }, S("msl")));
      g.append(svg("title", {}, tx(L.why_2msl)));
      root.append(g);
    }
    table.append(body);
    sec.append(el("div", { id: "ladder" }, root, el("p", { cls: "note", text: tx(L.why_2msl) }), table));
  }

  // ---- the page -----------------------------------------------------------------------
  function drawAll() {
    document.documentElement.lang = lang === "zh" ? "zh-Hans" : "en";
    $("title").textContent = tx(page.title);
    $("meta").textContent = tx(page.meta);
    $("hint").textContent = S("hint");
    document.title = tx(page.title);
    for (const b of document.querySelectorAll(".lang button")) b.setAttribute("aria-pressed", String(b.value === lang));
    drawJourney();
    drawLadder();
    drawList();
    drawFrame();
  }
  for (const b of document.querySelectorAll(".lang button")) {
    b.addEventListener("click", () => { lang = b.value; drawAll(); });
  }
  drawAll();
})();
