// Search without a server: the index is built with the site (mttq/search_index.py).
// Words are compared folded (no marks, đ -> d), so "mat tran" finds "Mặt trận";
// a word typed with marks ranks its exact form first. Only the index chunks of
// the query's words and the shown results' fragments are downloaded.
(function () {
  "use strict";
  var root = document.getElementById("tim-kiem");
  if (!root || !window.fetch || !"".normalize) return;
  var base = root.getAttribute("data-index");
  var form = root.querySelector("form");
  var input = form.querySelector("input[name=q]");
  var status = root.querySelector(".search-status");
  var list = root.querySelector(".search-results");
  var more = root.querySelector(".search-more");
  var PAGE = 10;
  var WORD;
  try {
    WORD = new RegExp("[\\p{L}\\p{N}]+", "gu");
  } catch (e) {  // browsers before Unicode property escapes: Latin letters cover Vietnamese
    WORD = /[0-9A-Za-z\u00c0-\u024f\u1e00-\u1eff]+/g;
  }
  var BREAK = /[.,;:!?()[\]{}"“”‘’«»…/|\n\r\t–—-]+/;
  var cache = {};
  var meta = null;
  var current = null;
  var timer = 0;

  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  function exact(s) { return s.normalize("NFC").toLowerCase(); }

  function get(path) {
    if (!cache[path]) {
      cache[path] = fetch(base + path).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      });
      cache[path].catch(function () { delete cache[path]; });
    }
    return cache[path];
  }

  // Index of the chunk whose first term is the last one <= term.
  function chunkOf(term) {
    var c = meta.chunks, lo = 0, hi = c.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (c[mid][0] <= term) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
  function chunksFor(term, prefix) {
    var first = chunkOf(term), last = prefix ? chunkOf(term + "\uffff") : first;
    var paths = [];
    for (var i = first; i <= last && i < first + 4; i++) paths.push("t/" + meta.chunks[i][1] + ".json");
    return paths;
  }

  function parse(query, typing) {
    var terms = [], pairs = [];
    query.split(BREAK).forEach(function (phrase) {
      var words = exact(phrase).match(WORD) || [];
      words.forEach(function (w, i) {
        var f = fold(w);
        if (i && terms.length) pairs.push(terms[terms.length - 1].f + " " + f);
        terms.push({ f: f, e: w, marked: f !== w });
      });
    });
    // While one types, the last word may be half typed ("nong thon mo"): its
    // completions count too, below the word itself. A submitted query is whole.
    if (typing && terms.length && !/\s$/.test(query)) {
      var last = terms[terms.length - 1];
      last.prefix = last.f.length >= 2;
    }
    return { terms: terms.slice(0, 12), pairs: pairs.slice(0, 11) };
  }

  function idf(df) { return Math.log(1 + (meta.n - df + 0.5) / (df + 0.5)); }

  // Add entry's postings to best[] (per doc, this term's best contribution).
  function add(entry, best, factor, want) {
    var variants = entry[0], stride = variants ? 3 : 2;
    var df = (entry.length - 1) / stride, weight = idf(df) * factor;
    var at = want && variants ? variants.indexOf(want) : -1;
    var bit = at >= 0 && at < 30 ? 1 << at : 0;
    var doc = 0;
    for (var i = 1; i < entry.length; i += stride) {
      doc += entry[i];
      var s = weight * entry[i + 1];
      if (want && !(entry[i + 2] & bit)) s *= 0.6;  // typed with marks, found without
      if (!(best[doc] >= s)) best[doc] = s;
    }
  }

  function rank(parsed, chunks) {
    var n = meta.n, score = new Float64Array(n), hits = new Uint8Array(n);
    var lookup = function (term) {
      for (var i = 0; i < chunks.length; i++) if (chunks[i][term]) return chunks[i][term];
      return null;
    };
    parsed.terms.forEach(function (t) {
      var best = {};
      var entry = lookup(t.f);
      if (entry && entry[0]) add(entry, best, 1, t.marked && t.e);
      if (t.prefix) {
        chunks.forEach(function (chunk) {
          for (var key in chunk) {
            if (key !== t.f && key.indexOf(" ") < 0 && key.lastIndexOf(t.f, 0) === 0) add(chunk[key], best, 0.7, null);
          }
        });
      }
      for (var doc in best) { score[doc] += best[doc]; hits[doc]++; }
    });
    parsed.pairs.forEach(function (p) {
      var entry = lookup(p), best = {};
      if (entry && !entry[0]) add(entry, best, 1.5, null);
      for (var doc in best) score[doc] += best[doc];
    });
    var all = [], some = [], need = parsed.terms.length;
    for (var d = 0; d < n; d++) {
      if (hits[d] === need) all.push(d);
      else if (hits[d]) some.push(d);
    }
    var byScore = function (a, b) { return score[b] - score[a] || a - b; };
    if (all.length) return { ids: all.sort(byScore), partial: false };
    some.sort(function (a, b) { return hits[b] - hits[a] || byScore(a, b); });
    return { ids: some, partial: true };
  }

  function matcher(parsed) {
    return function (word) {
      var f = fold(word);
      return parsed.terms.some(function (t) {
        return f === t.f || (t.prefix && f.lastIndexOf(t.f, 0) === 0);
      });
    };
  }

  // Text with the matching words in <mark>, built as DOM nodes (never HTML).
  function highlight(el, text, matches) {
    var at = 0, m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      if (!matches(m[0])) continue;
      el.appendChild(document.createTextNode(text.slice(at, m.index)));
      var mark = document.createElement("mark");
      mark.textContent = m[0];
      el.appendChild(mark);
      at = m.index + m[0].length;
    }
    el.appendChild(document.createTextNode(text.slice(at)));
    return el;
  }

  // The ~30 words of the body with the most matches (else the summary).
  function snippet(frag, matches) {
    var text = frag.x || "", words = [], m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) words.push([m.index, matches(m[0]) ? 1 : 0]);
    var size = 30, bestAt = -1, bestHits = 0, hits = 0;
    for (var i = 0; i < words.length; i++) {
      hits += words[i][1];
      if (i >= size) hits -= words[i - size][1];
      if (hits > bestHits) { bestHits = hits; bestAt = Math.max(0, i - size + 1); }
    }
    if (bestAt < 0) return frag.s || text.slice(0, 200);
    var start = Math.max(0, bestAt - 4), end = Math.min(words.length - 1, start + size + 4);
    var from = words[start][0], to = end + 1 < words.length ? words[end + 1][0] : text.length;
    return (from ? "…" : "") + text.slice(from, to).trim() + (to < text.length ? "…" : "");
  }

  function render(frag, matches) {
    var li = document.createElement("li");
    var h = document.createElement("h2");
    var a = document.createElement("a");
    a.href = frag.u;
    h.appendChild(highlight(a, frag.t, matches));
    var info = document.createElement("p");
    info.className = "result-meta";
    info.textContent = [frag.k, frag.c, frag.d].filter(Boolean).join(" · ");
    var p = highlight(document.createElement("p"), snippet(frag, matches), matches);
    p.className = "result-snippet";
    li.appendChild(h);
    li.appendChild(info);
    li.appendChild(p);
    return li;
  }

  function show(search) {
    var ids = search.ids.slice(search.shown, search.shown + PAGE);
    return Promise.all(ids.map(function (id) { return get("f/" + id + ".json"); })).then(function (frags) {
      if (search !== current) return null;
      var items = frags.map(function (frag) { return list.appendChild(render(frag, search.matches)); });
      search.shown += ids.length;
      more.hidden = search.shown >= search.ids.length;
      return items[0];
    });
  }

  function say(text) { status.textContent = text; }

  function run(query, typing) {
    query = query.trim() ? query : "";
    var search = current = { query: query, shown: 0, started: performance.now() };
    root.setAttribute("data-state", "busy");
    var done = function () {
      if (search !== current) return;
      root.setAttribute("data-query", query);
      root.setAttribute("data-ms", Math.round(performance.now() - search.started));
      root.setAttribute("data-state", "done");
    };
    list.textContent = "";
    more.hidden = true;
    var parsed = parse(query, typing);
    if (!parsed.terms.length) { say(""); done(); return Promise.resolve(); }
    return get("meta.json").then(function (m) {
      meta = m;
      var paths = {};
      parsed.terms.forEach(function (t) { chunksFor(t.f, t.prefix).forEach(function (p) { paths[p] = 1; }); });
      parsed.pairs.forEach(function (p) { chunksFor(p, false).forEach(function (x) { paths[x] = 1; }); });
      return Promise.all(Object.keys(paths).map(get));
    }).then(function (chunks) {
      if (search !== current) return;
      var result = rank(parsed, chunks);
      search.ids = result.ids;
      search.matches = matcher(parsed);
      var quoted = "“" + query + "”";
      if (!result.ids.length) say("Không tìm thấy tin, bài nào với " + quoted + ". Hãy thử từ khác, ít từ hơn, hoặc gõ không dấu.");
      else if (result.partial) say("Không có tin, bài nào chứa đủ các từ " + quoted + "; " + result.ids.length + " kết quả chứa một phần.");
      else say("Tìm thấy " + result.ids.length + " kết quả cho " + quoted + ".");
      return show(search);
    }).then(done, function () {
      if (search !== current) return;
      say("Không tải được mục lục tìm kiếm. Mời bạn tải lại trang.");
      root.setAttribute("data-state", "error");
    });
  }

  function update(typing) {
    var q = input.value;
    if (window.history && history.replaceState) {
      history.replaceState(null, "", q.trim() ? "?q=" + encodeURIComponent(q.trim()) : location.pathname);
    }
    return run(q, typing);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    update();
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 200, true);
  });
  more.addEventListener("click", function () {
    if (!current || !current.ids) return;
    // Focus goes to the first new result: the button may vanish after the last ones.
    show(current).then(function (first) { if (first) first.querySelector("a").focus(); });
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; run(initial); } else root.setAttribute("data-state", "done");
})();
