/// The page's script and style sheet, inline in every report (no file or request besides the
/// report itself). The script draws any `Page` (see PageModel.swift) as SVG: line charts
/// (downsampled to the pixel columns, each column's minimum and maximum kept), horizontal
/// grouped bars with threshold marks, histograms on a log axis; events on line charts
/// (boundaries, acks, change points as vertical lines, regressions as markers); legends, axes
/// with units and a tooltip. After drawing it sets `data-rendered` on <html> and `window.tierbenchReport` (a
/// summary of the charts drawn, for tests).
enum PageScript {
    static let script = #"""
(function () {
  'use strict';
  var NS = 'http://www.w3.org/2000/svg';
  // Okabe and Ito's palette: distinguishable with the common colour-vision deficiencies.
  var COLORS = { read: '#0072B2', write: '#E69F00', mixed: '#009E73', expected: '#555555', third: '#CC79A7', fourth: '#56B4E9' };
  var TONES = { pass: '#009E73', fail: '#D55E00', warn: '#CC79A7', info: '#56B4E9', neutral: '#999999', outlier: '#E69F00' };
  var TONE_WORDS = { pass: 'PASS', fail: 'FAIL', warn: 'SUSPICIOUS', info: 'INFO', neutral: 'NOT JUDGED', outlier: 'OUTLIER' };
  // Events on line charts: each kind has its colour (Okabe-Ito), a line style or marker shape, and a word in the legend.
  var EVENTS = {
    boundary: { colour: '#000000', dash: null, width: 1.6, word: 'boundary (tool, kernel, engine or instance type changed)' },
    ack: { colour: '#CC79A7', dash: '2 3', width: 2.2, word: 'ack (a known change accepted)' },
    change_point: { colour: '#E69F00', dash: '7 3', width: 2, word: 'change point (a new level starts)' },
    regression: { colour: '#D55E00', shape: 'M0 5 L-5.5 -4.5 L5.5 -4.5 Z', word: 'regression (the gate failed this run)' },
    improvement: { colour: '#009E73', shape: 'M0 -5 L-5.5 4.5 L5.5 4.5 Z', word: 'improvement (the gate found this run better)' }
  };
  var EVENT_ORDER = ['boundary', 'ack', 'change_point', 'regression', 'improvement'];
  var W = 560, H = 280, M = { l: 80, r: 26, t: 12, b: 44 };
  var summary = [];

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    for (var k in (attrs || {})) { if (attrs[k] !== undefined && attrs[k] !== null) e.setAttribute(k, attrs[k]); }
    (children || []).forEach(function (c) { e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }
  function sv(tag, attrs, text) {
    var e = document.createElementNS(NS, tag);
    for (var k in (attrs || {})) { if (attrs[k] !== undefined && attrs[k] !== null) e.setAttribute(k, attrs[k]); }
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // ---- number formatting per axis unit
  function sig(v, digits) {
    if (v === 0) return '0';
    var a = Math.abs(v);
    if (a >= 1000) return Math.round(v).toLocaleString('en-US');
    var s = Number(v.toPrecision(digits || 3));
    return String(s);
  }
  function si(v) {
    var a = Math.abs(v);
    if (a >= 1e9) return sig(v / 1e9) + 'G';
    if (a >= 1e6) return sig(v / 1e6) + 'M';
    if (a >= 1e4) return sig(v / 1e3) + 'k';
    return sig(v);
  }
  function bytesRate(v) {
    var units = ['B/s', 'KiB/s', 'MiB/s', 'GiB/s', 'TiB/s'], i = 0, a = Math.abs(v);
    while (a >= 1024 && i < units.length - 1) { a /= 1024; v /= 1024; i++; }
    return sig(v) + ' ' + units[i];
  }
  function nanos(v) {
    var a = Math.abs(v);
    if (a >= 1e9) return sig(v / 1e9) + ' s';
    if (a >= 1e6) return sig(v / 1e6) + ' ms';
    if (a >= 1e3) return sig(v / 1e3) + ' µs';
    return sig(v) + ' ns';
  }
  function elapsed(v) {
    var a = Math.abs(v);
    if (a >= 7200) return sig(v / 3600) + ' h';
    if (a >= 120) return sig(v / 60) + ' min';
    return sig(v) + ' s';
  }
  function pad2(n) { return (n < 10 ? '0' : '') + n; }
  // A date axis: seconds since 1970, shown in UTC; the day when the span is long, the time of day when it is short.
  function dateLabel(span) {
    return function (v) {
      var d = new Date(v * 1000), day = d.getUTCFullYear() + '-' + pad2(d.getUTCMonth() + 1) + '-' + pad2(d.getUTCDate());
      var time = pad2(d.getUTCHours()) + ':' + pad2(d.getUTCMinutes());
      if (span === undefined) return day + ' ' + time + ' UTC';
      if (span <= 3 * 3600) return time + ':' + pad2(d.getUTCSeconds());
      if (span <= 3 * 86400) return (pad2(d.getUTCMonth() + 1) + '-' + pad2(d.getUTCDate())) + ' ' + time;
      return day;
    };
  }
  function ninesLabel(v) {
    var p = 100 - 100 * Math.pow(10, -v);
    return 'p' + Number(p.toPrecision(Math.max(2, Math.ceil(v) + 2)));
  }
  function formatter(unit, span) {
    switch (unit) {
      case 'date': return dateLabel(span);
      case 'iops': return si;
      case 'bytesPerSecond': return bytesRate;
      case 'nanoseconds': return nanos;
      case 'seconds': return elapsed;
      case 'percent': return function (v) { return sig(v) + '%'; };
      case 'nines': return ninesLabel;
      default: return function (v) { return si(v); };
    }
  }

  // ---- scales and ticks
  function niceStep(span, count) {
    var raw = span / Math.max(1, count), p = Math.pow(10, Math.floor(Math.log10(raw))), f = raw / p;
    return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * p;
  }
  function timeStep(span, count) {
    var steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
    var raw = span / Math.max(1, count);
    for (var i = 0; i < steps.length; i++) if (steps[i] >= raw) return steps[i];
    return niceStep(span, count);
  }
  function scale(axis, lo, hi, a, b) {
    if (axis.scale === 'log') {
      var l0 = Math.log10(lo), l1 = Math.log10(hi);
      return { map: function (v) { return a + (Math.log10(Math.max(v, lo)) - l0) / (l1 - l0) * (b - a); }, lo: lo, hi: hi };
    }
    return { map: function (v) { return a + (v - lo) / (hi - lo) * (b - a); }, lo: lo, hi: hi };
  }
  function ticks(axis, lo, hi) {
    var out = [];
    if (axis.scale === 'log') {
      var e0 = Math.floor(Math.log10(lo)), e1 = Math.ceil(Math.log10(hi));
      var mult = e1 - e0 <= 2 ? [1, 2, 5] : [1];
      for (var e = e0; e <= e1; e++) mult.forEach(function (m) { var v = m * Math.pow(10, e); if (v >= lo * 0.999 && v <= hi * 1.001) out.push(v); });
      return out;
    }
    if (axis.unit === 'nines') { for (var n = Math.ceil(lo); n <= hi + 1e-9; n++) out.push(n); if (lo < 0.31 && hi > 0.3) out.unshift(Math.log10(2)); return out; }
    if (axis.unit === 'date') {
      var dsteps = [1, 5, 10, 30, 60, 300, 600, 1800, 3600, 10800, 21600, 43200, 86400, 172800, 604800, 1209600, 2592000, 7776000, 31536000];
      var dstep = dsteps[dsteps.length - 1];
      for (var di = 0; di < dsteps.length; di++) if (dsteps[di] >= (hi - lo) / 5) { dstep = dsteps[di]; break; }
      for (var dv = Math.ceil(lo / dstep - 1e-9) * dstep; dv <= hi + 1e-9; dv += dstep) out.push(dv);
      return out;
    }
    var step = axis.unit === 'seconds' ? timeStep(hi - lo, 6) : niceStep(hi - lo, 5);
    if (axis.unit === 'bytesPerSecond') { var u = 1; while (hi / u >= 1024) u *= 1024; step = niceStep((hi - lo) / u, 5) * u; }
    for (var v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
    return out;
  }
  function domain(axis, values) {
    var lo = Infinity, hi = -Infinity;
    values.forEach(function (v) { if (v === null || v === undefined || !isFinite(v)) return; if (axis.scale === 'log' && v <= 0) return; if (v < lo) lo = v; if (v > hi) hi = v; });
    if (lo === Infinity) { lo = axis.scale === 'log' ? 1 : 0; hi = axis.scale === 'log' ? 10 : 1; }
    if (axis.scale === 'log') {
      if (hi / lo < 10) { var mid = Math.sqrt(hi * lo); lo = Math.min(lo, mid / 3.2); hi = Math.max(hi, mid * 3.2); }
      return [Math.pow(10, Math.floor(Math.log10(lo) * 4) / 4), Math.pow(10, Math.ceil(Math.log10(hi) * 4) / 4)];
    }
    if (axis.unit === 'date') return hi === lo ? [lo - 43200, hi + 43200] : [lo, hi];
    if (axis.fromZero && lo > 0) lo = 0;
    if (hi === lo) { hi = lo === 0 ? 1 : hi * 1.1; if (!axis.fromZero) lo = lo * 0.9; }
    var pad = axis.fromZero ? (hi - lo) * 0.05 : (hi - lo) * 0.05;
    return [axis.fromZero ? lo : lo - pad, hi + pad];
  }

  function axes(g, chart, xs, ys, x0, x1, y0, y1, xDom, yDom) {
    var fx = formatter(chart.x.unit, xDom[1] - xDom[0]), fy = formatter(chart.y.unit);
    g.appendChild(sv('rect', { x: M.l, y: M.t, width: W - M.l - M.r, height: H - M.t - M.b, class: 'plot' }));
    ticks(chart.y, yDom[0], yDom[1]).forEach(function (t) {
      var y = ys.map(t);
      g.appendChild(sv('line', { x1: M.l, x2: W - M.r, y1: y, y2: y, class: 'grid' }));
      g.appendChild(sv('text', { x: M.l - 6, y: y + 4, class: 'tick', 'text-anchor': 'end' }, fy(t)));
    });
    ticks(chart.x, xDom[0], xDom[1]).forEach(function (t) {
      var x = xs.map(t);
      g.appendChild(sv('line', { x1: x, x2: x, y1: H - M.b, y2: H - M.b + 4, class: 'axis' }));
      g.appendChild(sv('text', { x: x, y: H - M.b + 16, class: 'tick', 'text-anchor': 'middle' }, fx(t)));
    });
    g.appendChild(sv('text', { x: (M.l + W - M.r) / 2, y: H - 6, class: 'label', 'text-anchor': 'middle' }, chart.x.label));
    g.appendChild(sv('text', { x: 14, y: (M.t + H - M.b) / 2, class: 'label', 'text-anchor': 'middle', transform: 'rotate(-90 14 ' + (M.t + H - M.b) / 2 + ')' }, chart.y.label));
  }

  function xAt(s, i) { return s.xs ? s.xs[i] : s.x0 + i * s.dx; }

  // Downsampling for drawing: with more points than twice the plot's pixel columns, each
  // column keeps its lowest and highest point (in time order), so spikes and dips stay visible.
  function decimate(s, columns, i0, i1) {
    var idx = [];
    if (i1 < i0) return idx;
    if (i1 - i0 + 1 <= columns * 2) { for (var i = i0; i <= i1; i++) idx.push(i); return idx; }
    var lo = xAt(s, i0), hi = xAt(s, i1), col = -1, mn = -1, mx = -1;
    function flush() { if (mn < 0) return; if (mn === mx) idx.push(mn); else if (mn < mx) idx.push(mn, mx); else idx.push(mx, mn); }
    for (var j = i0; j <= i1; j++) {
      var v = s.ys[j]; if (v === null) continue;
      var c = Math.min(columns - 1, Math.floor((xAt(s, j) - lo) / (hi - lo || 1) * columns));
      if (c !== col) { flush(); col = c; mn = mx = j; continue; }
      if (v < s.ys[mn]) mn = j;
      if (v > s.ys[mx]) mx = j;
    }
    flush();
    return idx;
  }

  function lowerBound(s, n, x) { var lo = 0, hi = n; while (lo < hi) { var m = (lo + hi) >> 1; if (xAt(s, m) < x) lo = m + 1; else hi = m; } return lo; }

  // Draws (and redraws, zoomed to `range` [x0, x1] of the x axis, or all of it) a line chart.
  function lineChart(svg, chart, info, range) {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    info.series = [];
    info.range = range || null;
    var spans = chart.series.map(function (s) {
      var n = s.ys.length;
      if (!range || !n) return [0, n - 1];
      return [Math.min(n - 1, lowerBound(s, n, range[0])), Math.max(0, lowerBound(s, n, range[1] + 1e-9) - 1)];
    });
    var allX = [], allY = [];
    chart.series.forEach(function (s, k) {
      var n = s.ys.length; if (!n) return;
      allX.push(xAt(s, spans[k][0]), xAt(s, spans[k][1]));
      for (var i = spans[k][0]; i <= spans[k][1]; i++) allY.push(s.ys[i]);
    });
    chart.marks.forEach(function (m) { allY.push(m.value); });
    var xDom = domain({ scale: chart.x.scale, unit: chart.x.unit, fromZero: false }, allX);
    if (allX.length) { var xl = Math.min.apply(null, allX), xh = Math.max.apply(null, allX); if (xh > xl) xDom = chart.x.scale === 'log' ? xDom : [xl, xh]; }
    if (range) xDom = range;
    var yDom = domain(chart.y, allY);
    var xs = scale(chart.x, xDom[0], xDom[1], M.l, W - M.r), ys = scale(chart.y, yDom[0], yDom[1], H - M.b, M.t);
    axes(svg, chart, xs, ys, M.l, W - M.r, H - M.b, M.t, xDom, yDom);
    chart.marks.forEach(function (m) {
      var y = ys.map(m.value);
      svg.appendChild(sv('line', { x1: M.l, x2: W - M.r, y1: y, y2: y, class: 'mark' }));
      svg.appendChild(sv('text', { x: W - M.r - 4, y: y - 4, class: 'marklabel', 'text-anchor': 'end' }, m.label));
    });
    // Vertical events under the series, point events over them; only those inside the x range.
    var events = (chart.events || []).filter(function (e) { return e.x >= xDom[0] - 1e-9 && e.x <= xDom[1] + 1e-9; });
    info.events = {};
    events.forEach(function (e) { info.events[e.kind] = (info.events[e.kind] || 0) + 1; });
    events.filter(function (e) { return e.y === null || e.y === undefined; }).forEach(function (e) {
      var st = EVENTS[e.kind], x = xs.map(e.x).toFixed(1);
      var line = sv('line', { x1: x, x2: x, y1: M.t, y2: H - M.b, class: 'event', 'data-kind': e.kind, stroke: st.colour, 'stroke-width': st.width, 'stroke-dasharray': st.dash });
      line.appendChild(sv('title', {}, e.label));
      svg.appendChild(line);
    });
    var columns = W - M.l - M.r;
    chart.series.forEach(function (s, k) {
      var g = sv('g', { class: 'series', 'data-name': s.name }), idx = decimate(s, columns, spans[k][0], spans[k][1]), d = '', pen = false, drawn = 0, lo = null, hi = null;
      idx.forEach(function (i) {
        var v = s.ys[i];
        if (typeof v !== 'number' || !isFinite(v) || (chart.y.scale === 'log' && v <= 0)) { pen = false; return; }
        var px = xs.map(xAt(s, i)).toFixed(1), py = ys.map(v).toFixed(1);
        d += (pen ? 'L' : 'M') + px + ' ' + py; pen = true; drawn++;
        if (lo === null || v < lo) lo = v;
        if (hi === null || v > hi) hi = v;
        if (s.markers) g.appendChild(sv('circle', { cx: px, cy: py, r: 3.5, class: 'marker', fill: COLORS[s.color] }));
      });
      g.insertBefore(sv('path', { d: d, fill: 'none', stroke: COLORS[s.color], 'stroke-width': 1.6, 'stroke-dasharray': s.dashed ? '5 3' : null }), g.firstChild);
      g.setAttribute('data-points', drawn);
      g.setAttribute('data-total', s.ys.length);
      if (lo !== null) { g.setAttribute('data-min', lo); g.setAttribute('data-max', hi); }
      svg.appendChild(g);
      info.series.push({ name: s.name, points: drawn, total: s.ys.length, min: lo, max: hi });
    });
    events.filter(function (e) { return e.y !== null && e.y !== undefined; }).forEach(function (e) {
      var st = EVENTS[e.kind], px = xs.map(e.x).toFixed(1), py = ys.map(e.y).toFixed(1);
      var mark = sv('path', { d: st.shape, transform: 'translate(' + px + ' ' + py + ')', class: 'event-point', 'data-kind': e.kind, fill: st.colour, stroke: '#fff', 'stroke-width': 1 });
      mark.appendChild(sv('title', {}, e.label));
      svg.appendChild(mark);
    });
    svg.appendChild(sv('rect', { class: 'selection', x: -10, y: M.t, width: 0, height: H - M.t - M.b }));
    svg.appendChild(sv('line', { class: 'guide', y1: M.t, y2: H - M.b, x1: -10, x2: -10 }));
    svg._xs = xs; svg._ys = ys;
    if (!svg._hooked) {
      svg._hooked = true;
      hover(svg, chart);
      if ((chart.x.unit === 'seconds' || chart.x.unit === 'date') && chart.x.scale !== 'log') zoomable(svg, chart, info);
    }
    return info;
  }

  // Drag across a time chart to zoom into that span (every point in it, up to two per pixel
  // column); double-click to see the whole run again.
  var zoomers = {};
  function zoomable(svg, chart, info) {
    var start = null;
    function toX(ev) { var box = svg.getBoundingClientRect(); return Math.max(M.l, Math.min(W - M.r, (ev.clientX - box.left) * W / box.width)); }
    function value(px) { var xs = svg._xs; return xs.lo + (px - M.l) / (W - M.r - M.l) * (xs.hi - xs.lo); }
    function sel() { return svg.querySelector('rect.selection'); }
    svg.addEventListener('mousedown', function (ev) { start = toX(ev); ev.preventDefault(); });
    svg.addEventListener('mousemove', function (ev) {
      if (start === null) return;
      var p = toX(ev), r = sel();
      r.setAttribute('x', Math.min(start, p)); r.setAttribute('width', Math.abs(p - start));
    });
    window.addEventListener('mouseup', function (ev) {
      if (start === null) return;
      var p = toX(ev), a = Math.min(start, p), b = Math.max(start, p);
      start = null;
      if (b - a < 5) { var r = sel(); if (r) r.setAttribute('width', 0); return; }
      lineChart(svg, chart, info, [value(a), value(b)]);
    });
    svg.addEventListener('dblclick', function () { lineChart(svg, chart, info, null); });
    zoomers[chart.id] = function (range) { return lineChart(svg, chart, info, range); };
  }
  function histogram(svg, chart, info) {
    var allX = [], allY = [];
    chart.series.forEach(function (s) { (s.edges || []).forEach(function (e) { allX.push(e); }); s.ys.forEach(function (v) { allY.push(v); }); });
    var xDom = domain(chart.x, allX), yDom = domain(chart.y, allY);
    var xs = scale(chart.x, xDom[0], xDom[1], M.l, W - M.r), ys = scale(chart.y, yDom[0], yDom[1], H - M.b, M.t);
    axes(svg, chart, xs, ys, M.l, W - M.r, H - M.b, M.t, xDom, yDom);
    var fx = formatter(chart.x.unit), fy = formatter(chart.y.unit);
    chart.series.forEach(function (s) {
      var g = sv('g', { class: 'series', 'data-name': s.name }), n = 0;
      s.ys.forEach(function (v, i) {
        if (typeof v !== 'number' || !isFinite(v) || v <= 0) return;
        var a = xs.map(s.edges[i]), b = xs.map(s.edges[i + 1]), y = ys.map(v);
        var r = sv('rect', { x: a.toFixed(1), width: Math.max(1, b - a - 1).toFixed(1), y: y.toFixed(1), height: (H - M.b - y).toFixed(1), class: 'bar', fill: COLORS[s.color], 'fill-opacity': chart.series.length > 1 ? 0.55 : 0.85 });
        r.appendChild(sv('title', {}, s.name + ': ' + fx(s.edges[i]) + ' – ' + fx(s.edges[i + 1]) + ': ' + fy(v)));
        g.appendChild(r); n++;
      });
      g.setAttribute('data-bars', n);
      svg.appendChild(g);
      info.series.push({ name: s.name, bars: n });
    });
  }

  // Horizontal grouped bars: one band per category (a metric), one bar per series; the value
  // axis is `chart.y`, drawn along the bottom.
  function barChart(svg, chart, info) {
    var cats = chart.categories || [], S = chart.series.length, band = S * 16 + 14, left = 280, W = 900, right = W - M.r - 150;
    var height = M.t + cats.length * band + M.b;
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + height);
    svg.setAttribute('width', W);
    svg.setAttribute('height', height);
    var vals = [];
    chart.series.forEach(function (s) { s.ys.forEach(function (v) { vals.push(v); }); });
    chart.marks.forEach(function (m) { vals.push(m.value); });
    var dom = domain(chart.y, vals), xs = scale(chart.y, dom[0], dom[1], left, right), f = formatter(chart.y.unit);
    svg.appendChild(sv('rect', { x: left, y: M.t, width: right - left, height: cats.length * band, class: 'plot' }));
    ticks(chart.y, dom[0], dom[1]).forEach(function (t) {
      var x = xs.map(t);
      svg.appendChild(sv('line', { x1: x, x2: x, y1: M.t, y2: M.t + cats.length * band, class: 'grid' }));
      svg.appendChild(sv('text', { x: x, y: M.t + cats.length * band + 16, class: 'tick', 'text-anchor': 'middle' }, f(t)));
    });
    svg.appendChild(sv('text', { x: (left + right) / 2, y: height - 6, class: 'label', 'text-anchor': 'middle' }, chart.y.label));
    var counts = chart.series.map(function () { return 0; });
    cats.forEach(function (c, ci) {
      var top = M.t + ci * band;
      var name = c.length > 46 ? c.slice(0, 44) + '…' : c;
      var t = sv('text', { x: left - 6, y: top + band / 2 + 4, class: 'cat', 'text-anchor': 'end' }, name);
      t.appendChild(sv('title', {}, c));
      svg.appendChild(t);
      chart.series.forEach(function (s, si) {
        var v = s.ys[ci];
        if (typeof v !== 'number' || !isFinite(v)) return;
        var y = top + 7 + si * 16, w = Math.max(1, xs.map(v) - left), tone = s.tones ? s.tones[ci] : null;
        var colour = tone ? TONES[tone] : COLORS[s.color];
        var r = sv('rect', { x: left, y: y, width: w.toFixed(1), height: 12, class: 'bar' + (s.outline ? ' outline' : ''), 'data-series': s.name, 'data-category': c, 'data-tone': tone,
          fill: s.outline ? '#ffffff' : colour, stroke: s.outline ? COLORS.expected : 'none', 'stroke-dasharray': s.outline ? '4 2' : null });
        r.appendChild(sv('title', {}, s.name + ' ' + c + ': ' + f(v)));
        svg.appendChild(r);
        counts[si]++;
        var label = f(v) + (tone ? '  ' + TONE_WORDS[tone] : '');
        svg.appendChild(sv('text', { x: left + w + 4, y: y + 10, class: 'value' + (tone ? ' tone-' + tone : '') }, label));
      });
    });
    chart.marks.forEach(function (m) {
      var x = xs.map(m.value), top = m.category === null || m.category === undefined ? M.t : M.t + m.category * band + 2;
      var bottom = m.category === null || m.category === undefined ? M.t + cats.length * band : top + band - 4;
      var line = sv('line', { x1: x, x2: x, y1: top, y2: bottom, class: 'mark threshold' });
      line.appendChild(sv('title', {}, m.label));
      svg.appendChild(line);
    });
    chart.series.forEach(function (s, si) { info.series.push({ name: s.name, bars: counts[si] }); });
    info.marks = chart.marks.length;
  }

  // A tooltip with every series' value at the x under the pointer.
  var tip = null;
  function hover(svg, chart) {
    var fx = formatter(chart.x.unit), fy = formatter(chart.y.unit);
    var near = function () { return []; };
    if ((chart.events || []).length) near = function (x, tolerance) {
      return chart.events.filter(function (e) { return Math.abs(e.x - x) <= tolerance; }).map(function (e) { return e.label; });
    };
    function guide() { return svg.querySelector('line.guide'); }
    svg.addEventListener('mousemove', function (ev) {
      var xs = svg._xs, box = svg.getBoundingClientRect(), px = (ev.clientX - box.left) * W / box.width;
      if (px < M.l || px > W - M.r) { guide().setAttribute('x1', -10); guide().setAttribute('x2', -10); if (tip) tip.style.display = 'none'; return; }
      var lines = [], at = null;
      chart.series.forEach(function (s) {
        var n = s.ys.length; if (!n) return;
        var lo = 0, hi = n - 1, target = xs.lo + (px - M.l) / (W - M.r - M.l) * (xs.hi - xs.lo);
        if (chart.x.scale === 'log') target = Math.pow(10, Math.log10(xs.lo) + (px - M.l) / (W - M.r - M.l) * (Math.log10(xs.hi) - Math.log10(xs.lo)));
        while (hi - lo > 1) { var mid = (lo + hi) >> 1; if (xAt(s, mid) < target) lo = mid; else hi = mid; }
        var i = Math.abs(xAt(s, lo) - target) <= Math.abs(xAt(s, hi) - target) ? lo : hi;
        at = xAt(s, i);
        lines.push(s.name + ': ' + (s.ys[i] === null ? '–' : fy(s.ys[i])));
      });
      if (at === null) return;
      var gx = xs.map(at); guide().setAttribute('x1', gx); guide().setAttribute('x2', gx);
      if (!tip) { tip = el('div', { class: 'tip' }); document.body.appendChild(tip); }
      tip.textContent = '';
      tip.appendChild(el('b', {}, [chart.x.label + ' ' + fx(at)]));
      lines.forEach(function (l) { tip.appendChild(el('div', {}, [l])); });
      near(at, (xs.hi - xs.lo) / (W - M.l - M.r) * 3).forEach(function (l) { tip.appendChild(el('div', { class: 'tip-event' }, [l])); });
      tip.style.display = 'block';
      tip.style.left = (ev.pageX + 14) + 'px'; tip.style.top = (ev.pageY + 10) + 'px';
    });
    svg.addEventListener('mouseleave', function () { if (tip) tip.style.display = 'none'; guide().setAttribute('x1', -10); guide().setAttribute('x2', -10); });
  }

  function legend(chart) {
    var d = el('div', { class: 'legend' });
    chart.series.forEach(function (s) {
      var sw = sv('svg', { width: 26, height: 12, class: 'swatch' });
      if (chart.type === 'line') sw.appendChild(sv('line', { x1: 1, x2: 25, y1: 6, y2: 6, stroke: COLORS[s.color], 'stroke-width': 2.5, 'stroke-dasharray': s.dashed ? '5 3' : null }));
      else if (s.tones && !s.outline) s.tones.filter(function (t, i, a) { return t && a.indexOf(t) === i; }).slice(0, 3).forEach(function (t, i, a) {
        sw.appendChild(sv('rect', { x: 3 + i * 20 / a.length, y: 1, width: 20 / a.length, height: 10, fill: TONES[t] }));
      });
      else sw.appendChild(sv('rect', { x: 3, y: 1, width: 20, height: 10, fill: s.outline ? '#fff' : COLORS[s.color], stroke: s.outline ? COLORS.expected : 'none', 'stroke-dasharray': s.outline ? '4 2' : null }));
      d.appendChild(el('span', { class: 'entry' }, [sw, s.outline || !s.tones ? s.name : s.name + ' (colour: verdict)']));
    });
    var tones = {};
    chart.series.forEach(function (s) { (s.tones || []).forEach(function (t) { if (t) tones[t] = true; }); });
    Object.keys(tones).forEach(function (t) {
      var sw = sv('svg', { width: 14, height: 12, class: 'swatch' });
      sw.appendChild(sv('rect', { x: 1, y: 1, width: 12, height: 10, fill: TONES[t] }));
      d.appendChild(el('span', { class: 'entry' }, [sw, TONE_WORDS[t].toLowerCase()]));
    });
    var kinds = {};
    (chart.events || []).forEach(function (e) { kinds[e.kind] = true; });
    EVENT_ORDER.filter(function (k) { return kinds[k]; }).forEach(function (k) {
      var st = EVENTS[k], sw = sv('svg', { width: 16, height: 14, class: 'swatch' });
      if (st.shape) sw.appendChild(sv('path', { d: st.shape, transform: 'translate(8 7)', fill: st.colour }));
      else sw.appendChild(sv('line', { x1: 8, x2: 8, y1: 0, y2: 14, stroke: st.colour, 'stroke-width': st.width, 'stroke-dasharray': st.dash }));
      d.appendChild(el('span', { class: 'entry', 'data-event': k }, [sw, st.word]));
    });
    if (chart.marks.length && chart.type === 'bars') {
      var sw = sv('svg', { width: 14, height: 12, class: 'swatch' });
      sw.appendChild(sv('line', { x1: 7, x2: 7, y1: 0, y2: 12, class: 'mark threshold' }));
      d.appendChild(el('span', { class: 'entry' }, [sw, chart.markLegend || 'threshold']));
    }
    return d;
  }

  function chartBlock(chart) {
    var fig = el('figure', { class: 'chart', id: 'chart-' + chart.id, 'data-chart': chart.id, 'data-type': chart.type });
    fig.appendChild(el('figcaption', {}, [chart.title]));
    fig.appendChild(legend(chart));
    var svg = sv('svg', { viewBox: '0 0 ' + W + ' ' + H, width: W, height: H, role: 'img', 'aria-label': chart.title });
    var info = { id: chart.id, type: chart.type, title: chart.title, series: [] };
    if (chart.type === 'line') lineChart(svg, chart, info);
    else if (chart.type === 'histogram') histogram(svg, chart, info);
    else barChart(svg, chart, info);
    fig.appendChild(svg);
    var hint = chart.type === 'line' && (chart.x.unit === 'seconds' || chart.x.unit === 'date') ? ' Drag across the chart to zoom in, double-click to zoom out.' : '';
    if (chart.caption || hint) fig.appendChild(el('p', { class: 'caption' }, [(chart.caption ? chart.caption + '.' : '') + hint]));
    summary.push(info);
    return fig;
  }

  function table(t) {
    var wrap = el('div', { class: 'tablewrap' });
    if (t.title) wrap.appendChild(el('h4', {}, [t.title]));
    var tb = el('table', {});
    tb.appendChild(el('thead', {}, [el('tr', {}, t.header.map(function (h, i) { return el('th', { class: t.numeric.indexOf(i) >= 0 ? 'num' : null }, [h]); }))]));
    var body = el('tbody');
    t.rows.forEach(function (r, ri) {
      var tone = t.tones ? t.tones[ri] : null;
      body.appendChild(el('tr', {}, r.map(function (c, i) {
        var cls = (t.numeric.indexOf(i) >= 0 ? 'num' : '') + (tone && i === r.length - 1 ? ' verdict tone-' + tone : '');
        return el('td', { class: cls || null }, [c]);
      })));
    });
    tb.appendChild(body);
    wrap.appendChild(tb);
    return wrap;
  }

  function block(b) {
    switch (b.type) {
      case 'facts':
        var dl = el('dl', { class: 'facts' });
        b.rows.forEach(function (r) { dl.appendChild(el('dt', {}, [r[0]])); dl.appendChild(el('dd', {}, [r[1]])); });
        return el('div', { class: 'factbox' }, [el('h4', {}, [b.title]), dl]);
      case 'table': return table(b.table);
      case 'chart': return chartBlock(b.chart);
      case 'notes': return el('div', { class: 'notes' }, [el('h4', {}, [b.title]), el('ul', {}, b.lines.map(function (l) { return el('li', {}, [l]); }))]);
      case 'code': return el('div', { class: 'code' }, [el('h4', {}, [b.title]), el('pre', {}, [b.text])]);
      case 'group':
        var g = el('section', { class: 'group', id: b.id }, [el('h3', {}, [b.title])]);
        if (b.subtitle) g.appendChild(el('p', { class: 'subtitle' }, [b.subtitle]));
        var grid = el('div', { class: 'grid' });
        b.blocks.forEach(function (c) { (c.type === 'chart' ? grid : g).appendChild(block(c)); });
        g.appendChild(grid);
        return g;
    }
    throw new Error('tierbench report: unknown block type ' + b.type);
  }

  function render(model) {
    var root = document.getElementById('report');
    root.appendChild(el('h1', {}, [model.title]));
    if (model.subtitle) root.appendChild(el('p', { class: 'subtitle' }, [model.subtitle]));
    if (model.sections.length > 1) {
      root.appendChild(el('nav', {}, model.sections.map(function (s) { return el('a', { href: '#' + s.id }, [s.title]); })));
    }
    model.sections.forEach(function (s) {
      var sec = el('section', { class: 'doc', id: s.id, 'data-kind': s.kind });
      var h = el('h2', {}, [s.title]);
      if (s.badge) h.appendChild(el('span', { class: 'badge tone-' + s.badge.tone }, [s.badge.text]));
      sec.appendChild(h);
      if (s.subtitle) sec.appendChild(el('p', { class: 'subtitle' }, [s.subtitle]));
      s.blocks.forEach(function (b) { sec.appendChild(block(b)); });
      root.appendChild(sec);
    });
    root.appendChild(el('footer', {}, [model.generator]));
  }

  render(JSON.parse(document.getElementById('tierbench-data').textContent));
  // For tests and the console: the charts drawn, and zoom(id, x0, x1) (null, null: all of it).
  window.tierbenchReport = { charts: summary, zoom: function (id, x0, x1) { return zoomers[id](x0 === null ? null : [x0, x1]); } };
  document.documentElement.setAttribute('data-rendered', 'true');
})();
"""#

    static let style = #"""
:root { --fg: #1b1b1b; --muted: #5b5b5b; --line: #d9d9d9; --bg: #ffffff; --panel: #f7f7f5; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--fg); background: var(--bg); }
#report { max-width: 1240px; margin: 0 auto; padding: 20px 24px 40px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 28px 0 6px; padding-top: 10px; border-top: 2px solid var(--fg); display: flex; gap: 12px; align-items: center; }
h3 { font-size: 17px; margin: 22px 0 4px; }
h4 { font-size: 13px; margin: 10px 0 4px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.subtitle { color: var(--muted); margin: 0 0 10px; }
nav { display: flex; gap: 14px; flex-wrap: wrap; margin: 8px 0; }
nav a { color: #0072B2; }
.badge { font-size: 13px; padding: 2px 10px; border-radius: 10px; color: #fff; font-weight: 600; letter-spacing: .03em; }
.badge.tone-pass { background: #007a5a; } .badge.tone-fail { background: #b34700; } .badge.tone-warn { background: #a1518a; }
.badge.tone-info { background: #2f7fb0; } .badge.tone-neutral { background: #6b6b6b; } .badge.tone-outlier { background: #8a5d00; }
.factbox, .notes, .code, .tablewrap { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 6px 12px 10px; margin: 10px 0; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
.facts dt { color: var(--muted); } .facts dd { margin: 0; word-break: break-all; }
pre { margin: 0; white-space: pre-wrap; word-break: break-all; font: 13px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; } .num { text-align: right; white-space: nowrap; }
td.verdict { font-weight: 700; }
.tone-pass { color: #007a5a; } .tone-fail { color: #b34700; } .tone-warn { color: #a1518a; } .tone-info { color: #2f7fb0; } .tone-neutral { color: #6b6b6b; } .tone-outlier { color: #8a5d00; }
figure.chart[data-type=bars] { grid-column: 1 / -1; }
figure.chart[data-type=bars] svg { max-width: 900px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(540px, 1fr)); gap: 14px; }
figure.chart { margin: 10px 0; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
figure.chart figcaption { font-weight: 600; }
figure.chart svg { width: 100%; height: auto; display: block; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; color: var(--muted); margin: 2px 0 4px; }
.legend .entry { display: inline-flex; align-items: center; gap: 5px; }
.caption { font-size: 12px; color: var(--muted); margin: 4px 0 0; }
svg .plot { fill: #fff; stroke: #bdbdbd; } svg .grid { stroke: #ececec; } svg .axis { stroke: #777; }
svg .tick { font-size: 11px; fill: #444; } svg .label { font-size: 12px; fill: #222; } svg .cat { font-size: 11.5px; fill: #222; }
svg .value { font-size: 11px; fill: #333; } svg .value.tone-pass { fill: #007a5a; font-weight: 700; } svg .value.tone-fail { fill: #b34700; font-weight: 700; }
svg .value.tone-warn { fill: #a1518a; font-weight: 700; } svg .value.tone-outlier { fill: #8a5d00; font-weight: 700; }
svg .mark { stroke: #000; stroke-width: 1.2; stroke-dasharray: 6 3; } svg .marklabel { font-size: 11px; fill: #000; }
svg .mark.threshold { stroke-width: 2; stroke-dasharray: 3 2; }
svg .selection { fill: rgba(0, 114, 178, .12); stroke: none; pointer-events: none; }
svg .guide { stroke: #999; stroke-width: 1; pointer-events: none; }
svg .marker { stroke: #fff; stroke-width: 1; }
.tip .tip-event { color: #5b5b5b; }
.tip { position: absolute; display: none; background: rgba(255,255,255,.96); border: 1px solid #aaa; border-radius: 4px; padding: 4px 8px; font-size: 12px; pointer-events: none; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
.badge.tone-pass, .badge.tone-fail, .badge.tone-warn, .badge.tone-info, .badge.tone-neutral, .badge.tone-outlier { color: #fff; }
.legend .entry { white-space: nowrap; }
footer { margin-top: 30px; color: var(--muted); font-size: 12px; }
@media print { .grid { grid-template-columns: 1fr 1fr; } figure.chart { break-inside: avoid; } }
"""#
}
