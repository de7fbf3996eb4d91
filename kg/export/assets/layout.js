/* Geometry for the kg view, with no dependency on vis-network: overlap removal for node boxes,
 * rows for entities without relations, and the choice of edge labels that fit. view.js feeds it
 * positions and label sizes read from vis-network and writes the results back.
 *
 * A node's box covers its shape and the label drawn below it:
 *   { x, y: the node's position; half: half the width; up: from y to the top; down: from y to the bottom }.
 * Everything here is deterministic: the same boxes in the same order give the same positions.
 */
var kgLayout = (function () {
  'use strict';

  // Pairs of boxes that overlap (closer than gap), found by a sweep over the left edges.
  function overlapping(cx, cy, hw, hh, n, gap, visit) {
    var order = new Array(n), i, k, m, count = 0;
    for (i = 0; i < n; i++) order[i] = i;
    order.sort(function (a, b) { return (cx[a] - hw[a]) - (cx[b] - hw[b]) || a - b; });
    for (k = 0; k < n; k++) {
      i = order[k];
      for (m = k + 1; m < n; m++) {
        var j = order[m];
        if (cx[j] - hw[j] >= cx[i] + hw[i] + gap) break;
        var ox = hw[i] + hw[j] + gap - Math.abs(cx[j] - cx[i]);
        var oy = hh[i] + hh[j] + gap - Math.abs(cy[j] - cy[i]);
        if (ox > 1e-9 && oy > 1e-9) {
          count += 1;
          if (visit) visit(i, j, ox, oy);
        }
      }
    }
    return count;
  }

  /* Move the boxes apart until no two are closer than gap, keeping the picture: each round
   * pushes every overlapping pair apart along the axis where they overlap least, half each.
   * Rounds are capped; whatever overlap is left then goes by spreading the whole layout out
   * about its centre (which keeps the arrangement and cannot create an overlap), so the result
   * never overlaps. Returns {rounds, spread}. */
  function separate(boxes, gap, maxRounds) {
    var n = boxes.length, i;
    gap = gap || 0;
    if (n < 2) return { rounds: 0, spread: 1 };
    var cx = new Float64Array(n), cy = new Float64Array(n), hw = new Float64Array(n), hh = new Float64Array(n),
        off = new Float64Array(n);
    for (i = 0; i < n; i++) {
      var b = boxes[i];
      off[i] = (b.down - b.up) / 2;
      cx[i] = b.x; cy[i] = b.y + off[i]; hw[i] = b.half; hh[i] = (b.up + b.down) / 2;
    }
    // boxes on the same spot: apart on a small spiral, so each pair has a direction
    function unpile() {
      var seen = {};
      for (var i = 0; i < n; i++) {
        if (seen[cx[i] + ',' + cy[i]] !== undefined) {
          var a = i * 2.399963, r = 1 + 0.5 * Math.sqrt(i);  // golden angle
          cx[i] += r * Math.cos(a); cy[i] += r * Math.sin(a);
        }
        seen[cx[i] + ',' + cy[i]] = i;
      }
    }
    unpile();
    function push(i, j, ox, oy) {
      var dx = cx[j] - cx[i], dy = cy[j] - cy[i], s;
      // a wide label box is cheaper to move up or down: compare the overlaps relative to the boxes
      if (ox / (hw[i] + hw[j]) < oy / (hh[i] + hh[j])) {
        s = dx > 0 ? 1 : dx < 0 ? -1 : (i < j ? 1 : -1);
        cx[i] -= s * ox / 2; cx[j] += s * ox / 2;
      } else {
        s = dy > 0 ? 1 : dy < 0 ? -1 : (i < j ? 1 : -1);
        cy[i] -= s * oy / 2; cy[j] += s * oy / 2;
      }
    }
    var rounds = 0;
    maxRounds = maxRounds == null ? 400 : maxRounds;
    // a little more than the gap while pushing, so that rounding never leaves a pair touching
    while (rounds < maxRounds && overlapping(cx, cy, hw, hh, n, gap * 1.05 + 0.01, push)) rounds += 1;
    var spread = 1;
    unpile();
    overlapping(cx, cy, hw, hh, n, gap, function (i, j) {
      var dx = Math.abs(cx[j] - cx[i]), dy = Math.abs(cy[j] - cy[i]);
      var need = Math.min(dx > 0 ? (hw[i] + hw[j] + gap) / dx : Infinity, dy > 0 ? (hh[i] + hh[j] + gap) / dy : Infinity);
      if (need > spread) spread = need;
    });
    if (spread > 1) {
      spread *= 1.001;
      var mx = 0, my = 0;
      for (i = 0; i < n; i++) { mx += cx[i]; my += cy[i]; }
      mx /= n; my /= n;
      for (i = 0; i < n; i++) { cx[i] = mx + (cx[i] - mx) * spread; cy[i] = my + (cy[i] - my) * spread; }
    }
    for (i = 0; i < n; i++) { boxes[i].x = cx[i]; boxes[i].y = cy[i] - off[i]; }
    return { rounds: rounds, spread: spread };
  }

  // the number of pairs of boxes closer than gap (0 after separate)
  function countOverlaps(boxes, gap) {
    var n = boxes.length, cx = [], cy = [], hw = [], hh = [];
    boxes.forEach(function (b) { cx.push(b.x); cy.push(b.y + (b.down - b.up) / 2); hw.push(b.half); hh.push((b.up + b.down) / 2); });
    return overlapping(cx, cy, hw, hh, n, gap || 0);
  }

  function extent(boxes) {
    var e = { left: Infinity, right: -Infinity, top: Infinity, bottom: -Infinity };
    boxes.forEach(function (b) {
      e.left = Math.min(e.left, b.x - b.half); e.right = Math.max(e.right, b.x + b.half);
      e.top = Math.min(e.top, b.y - b.up); e.bottom = Math.max(e.bottom, b.y + b.down);
    });
    return e;
  }

  /* Scale the positions about their centre so that the boxes fill about `fill` of the area
   * their centres span: a force layout's spacing knows nothing of labels, this brings it to
   * the size of what is drawn before the overlaps are removed; `extra` is area the boxes do not
   * hold and the drawing needs too (the relations' labels). Returns the scale and centre. */
  function fitSpacing(boxes, fill, extra) {
    var n = boxes.length, none = { scale: 1, x: 0, y: 0 };
    if (n < 2) return none;
    var area = 0, mx = 0, my = 0, w = 0, h = 0;
    var minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    boxes.forEach(function (b) {
      area += 2 * b.half * (b.up + b.down);
      w += 2 * b.half; h += b.up + b.down;
      mx += b.x; my += b.y;
      minX = Math.min(minX, b.x); maxX = Math.max(maxX, b.x); minY = Math.min(minY, b.y); maxY = Math.max(maxY, b.y);
    });
    mx /= n; my /= n; w /= n; h /= n;
    if (maxX - minX < 1e-6 && maxY - minY < 1e-6) return none;
    // the scale s at which (s*W + w)(s*H + h) = area / fill
    var W = maxX - minX, H = maxY - minY, target = (area + (extra || 0)) / fill;
    var qa = W * H, qb = W * h + H * w, qc = w * h - target;
    var s = qa > 1e-9 ? (-qb + Math.sqrt(qb * qb - 4 * qa * qc)) / (2 * qa) : -qc / qb;
    if (!(s > 0) || !isFinite(s)) return none;
    boxes.forEach(function (b) { b.x = mx + (b.x - mx) * s; b.y = my + (b.y - my) * s; });
    return { scale: s, x: mx, y: my };  // scaled by `scale` about (x, y)
  }

  /* Stretch the positions about their mean, wider and lower or narrower and taller (the area
   * stays), towards the aspect ratio (width / height) of the window they are drawn in: a force
   * layout has no orientation, the screen has. At most by `limit` either way. Returns the factor. */
  function stretch(boxes, aspect, limit) {
    var n = boxes.length;
    if (n < 2 || !(aspect > 0)) return 1;
    var e = extent(boxes), mx = 0, my = 0;
    if (!(e.right - e.left > 0 && e.bottom - e.top > 0)) return 1;
    boxes.forEach(function (b) { mx += b.x; my += b.y; });
    mx /= n; my /= n;
    var f = Math.sqrt(aspect / ((e.right - e.left) / (e.bottom - e.top)));
    f = Math.max(1 / limit, Math.min(limit, f));
    boxes.forEach(function (b) { b.x = mx + (b.x - mx) * f; b.y = my + (b.y - my) / f; });
    return f;
  }

  /* Boxes in rows below `above` (an extent, or null): left to right in the given order, a new
   * row where `group(i)` changes or the row is full; at least `width` wide. */
  function rows(boxes, above, gap, width, group) {
    if (!boxes.length) return;
    var total = 0, widest = 0;
    boxes.forEach(function (b) { total += (2 * b.half + gap) * (b.up + b.down + gap); widest = Math.max(widest, 2 * b.half); });
    var rowWidth = Math.max(width || 0, Math.sqrt(total) * 1.6, widest);
    var left = above ? (above.left + above.right) / 2 - rowWidth / 2 : -rowWidth / 2;
    var y = above ? above.bottom + 3 * gap + 40 : 0;
    var x = left, rowHeight = 0, prev = null, row = [];
    function flush() {  // centre the row
      if (!row.length) return;
      var last = row[row.length - 1], shift = (left + rowWidth - (last.x + last.half)) / 2;
      row.forEach(function (b) { b.x += shift; b.y = y + b.up; });
      y += rowHeight + gap;
      row = []; x = left; rowHeight = 0;
    }
    boxes.forEach(function (b, i) {
      var g = group ? group(i) : null;
      if (row.length && (g !== prev || x + 2 * b.half > left + rowWidth)) {
        var newGroup = g !== prev;
        flush();
        if (newGroup) y += 2 * gap;
      }
      prev = g;
      b.x = x + b.half;
      x += 2 * b.half + gap;
      rowHeight = Math.max(rowHeight, b.up + b.down);
      row.push(b);
    });
    flush();
  }

  /* The separate parts of a graph side by side. A force layout pushes a small part that no
   * relation ties to the rest out to the edge of the drawing, where it costs the whole drawing
   * room (and so its scale on the screen). group[i] names the part of boxes[i]; each part moves
   * as a whole, its boxes as they are. The largest part stays; the others, largest first, go
   * beside the parts already placed, where the drawing's bounding box, fitted to a window of
   * width / height `aspect`, needs the least scale, then nearest the largest part; beyond the
   * first `greedy` parts the rest go in rows below. Parts keep `gap` between their bounding
   * boxes, so no two boxes come to overlap. Returns the number of parts. */
  function pack(boxes, group, gap, aspect, greedy) {
    var byKey = {}, parts = [];
    boxes.forEach(function (b, i) {
      var c = byKey[group[i]];
      if (!c) { c = byKey[group[i]] = { members: [], first: i }; parts.push(c); }
      c.members.push(b);
    });
    if (parts.length < 2) return parts.length;
    parts.forEach(function (c) {
      c.e = extent(c.members); c.w = c.e.right - c.e.left; c.h = c.e.bottom - c.e.top;
    });
    parts.sort(function (a, b) { return b.w * b.h - a.w * a.h || a.first - b.first; });
    aspect = aspect > 0 ? aspect : 1;
    greedy = greedy == null ? 80 : greedy;
    gap = gap || 0;
    function move(c, left, top) {
      var dx = left - c.e.left, dy = top - c.e.top;
      c.members.forEach(function (b) { b.x += dx; b.y += dy; });
      c.e = { left: left, right: left + c.w, top: top, bottom: top + c.h };
    }
    var first = parts[0], all = { left: first.e.left, right: first.e.right, top: first.e.top, bottom: first.e.bottom };
    var placed = [first.e], ax = (all.left + all.right) / 2, ay = (all.top + all.bottom) / 2, eps = 1e-6;
    function free(l, t, w, h) {
      for (var i = 0; i < placed.length; i++) {
        var p = placed[i];
        if (l < p.right + gap - eps && p.left < l + w + gap - eps && t < p.bottom + gap - eps && p.top < t + h + gap - eps) return false;
      }
      return true;
    }
    var k, n = Math.min(parts.length, Math.max(1, greedy));
    for (k = 1; k < n; k++) {
      var c = parts[k], best = null;
      placed.forEach(function (p) {
        [[p.right + gap, p.top], [p.right + gap, p.bottom - c.h], [p.left - gap - c.w, p.top], [p.left - gap - c.w, p.bottom - c.h],
         [p.left, p.bottom + gap], [p.right - c.w, p.bottom + gap], [p.left, p.top - gap - c.h], [p.right - c.w, p.top - gap - c.h]
        ].forEach(function (at) {
          var l = at[0], t = at[1];
          if (!free(l, t, c.w, c.h)) return;
          var w = Math.max(all.right, l + c.w) - Math.min(all.left, l), h = Math.max(all.bottom, t + c.h) - Math.min(all.top, t);
          var cost = Math.max(w / aspect, h), dx = l + c.w / 2 - ax, dy = t + c.h / 2 - ay, dist = dx * dx + dy * dy;
          if (!best || cost < best.cost - eps || (cost < best.cost + eps && dist < best.dist - eps)) best = { l: l, t: t, cost: cost, dist: dist };
        });
      });
      move(c, best.l, best.t);  // the right of the rightmost part is always free
      placed.push(c.e);
      all.left = Math.min(all.left, c.e.left); all.right = Math.max(all.right, c.e.right);
      all.top = Math.min(all.top, c.e.top); all.bottom = Math.max(all.bottom, c.e.bottom);
    }
    if (k < parts.length) {  // the rest in rows below, as boxes of their size
      var rest = parts.slice(k), cells = rest.map(function (c) { return { half: c.w / 2, up: 0, down: c.h, x: 0, y: 0 }; });
      rows(cells, all, gap, all.right - all.left, null);
      rest.forEach(function (c, i) { move(c, cells[i].x - cells[i].half, cells[i].y); });
    }
    return parts.length;
  }

  // ------------------------------------------------------------------ labels that fit

  // corners of a w x h rectangle centred on (cx, cy), turned by angle
  function corners(cx, cy, w, h, angle) {
    var c = Math.cos(angle), s = Math.sin(angle), pts = [];
    [[-1, -1], [1, -1], [1, 1], [-1, 1]].forEach(function (d) {
      var dx = d[0] * w / 2, dy = d[1] * h / 2;
      pts.push([cx + dx * c - dy * s, cy + dx * s + dy * c]);
    });
    return pts;
  }
  function project(pts, ax, ay) {
    var lo = Infinity, hi = -Infinity;
    for (var i = 0; i < pts.length; i++) { var p = pts[i][0] * ax + pts[i][1] * ay; lo = Math.min(lo, p); hi = Math.max(hi, p); }
    return [lo, hi];
  }
  // separating-axis test for two convex quadrilaterals
  function polygonsOverlap(a, b) {
    var polys = [a, b];
    for (var q = 0; q < 2; q++) {
      var p = polys[q];
      for (var i = 0; i < p.length; i++) {
        var j = (i + 1) % p.length, ax = p[i][1] - p[j][1], ay = p[j][0] - p[i][0];
        var pa = project(a, ax, ay), pb = project(b, ax, ay);
        if (pa[1] <= pb[0] || pb[1] <= pa[0]) return false;
      }
    }
    return true;
  }
  function boundsOf(pts) {
    var l = Infinity, t = Infinity, r = -Infinity, b = -Infinity;
    pts.forEach(function (p) { l = Math.min(l, p[0]); r = Math.max(r, p[0]); t = Math.min(t, p[1]); b = Math.max(b, p[1]); });
    return [l, t, r, b];
  }

  /* Which labels can be drawn without touching an obstacle or each other. obstacles: boxes
   * [left, top, right, bottom] (the nodes with their labels); labels: {x, y, w, h, angle}, most
   * important first. Returns a list of booleans. */
  function fitLabels(obstacles, labels, cell) {
    cell = cell || 80;
    var grid = {};
    function cells(bb, fn) {
      for (var gx = Math.floor(bb[0] / cell); gx <= Math.floor(bb[2] / cell); gx++) {
        for (var gy = Math.floor(bb[1] / cell); gy <= Math.floor(bb[3] / cell); gy++) {
          if (fn(gx + ':' + gy) === false) return false;
        }
      }
      return true;
    }
    function add(poly) {
      var bb = boundsOf(poly), item = { poly: poly, bb: bb };
      cells(bb, function (k) { (grid[k] = grid[k] || []).push(item); });
    }
    obstacles.forEach(function (o) { add([[o[0], o[1]], [o[2], o[1]], [o[2], o[3]], [o[0], o[3]]]); });
    return labels.map(function (lab) {
      var poly = corners(lab.x, lab.y, lab.w, lab.h, lab.angle), bb = boundsOf(poly);
      var free = cells(bb, function (k) {
        var items = grid[k] || [];
        for (var i = 0; i < items.length; i++) {
          var o = items[i].bb;
          if (o[0] < bb[2] && bb[0] < o[2] && o[1] < bb[3] && bb[1] < o[3] && polygonsOverlap(poly, items[i].poly)) return false;
        }
        return true;
      });
      if (free) add(poly);
      return free;
    });
  }

  return { separate: separate, countOverlaps: countOverlaps, extent: extent, fitSpacing: fitSpacing, stretch: stretch, rows: rows, pack: pack,
           fitLabels: fitLabels, corners: corners, polygonsOverlap: polygonsOverlap };
})();
