/* The kg view page: draws the graph in #kg-data with vis-network, filters, search, details.
 *
 * Every string that comes from the graph (names, sentences, titles) reaches the page through
 * textContent, vis-network's canvas, or its tooltip (innerText): never through innerHTML.
 * window.kgView exposes the network and a few actions, for tests and for the curious.
 */
(function () {
  'use strict';

  var data = JSON.parse(document.getElementById('kg-data').textContent);
  var t0 = performance.now();

  // ------------------------------------------------------------------ helpers
  function el(tag, attrs) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) {
      if (!Object.prototype.hasOwnProperty.call(attrs, k) || attrs[k] == null) continue;
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'class') e.className = attrs[k];
      else if (k === 'on') for (var ev in attrs.on) e.addEventListener(ev, attrs.on[ev]);
      else e.setAttribute(k, attrs[k]);
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c == null) continue;
      e.append(c);  // strings become text nodes
    }
    return e;
  }
  function safeUrl(u) {
    try {
      var url = new URL(u);
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
    } catch (err) { return null; }
  }
  function link(href, text) {
    var url = safeUrl(href);
    return url ? el('a', { href: url, target: '_blank', rel: 'noopener noreferrer', text: text }) : document.createTextNode(text);
  }
  function norm(s) { return String(s).normalize('NFKC').toLowerCase().replace(/[\s·.\-_'"]+/g, ''); }
  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  var typeByName = {}, kindByName = {}, nodeById = {}, edgeById = {}, edgesOf = {};
  data.types.forEach(function (t) { typeByName[t.name] = t; });
  data.kinds.forEach(function (k) { kindByName[k.name] = k; });
  data.nodes.forEach(function (n) { nodeById[n.id] = n; edgesOf[n.id] = []; });
  data.edges.forEach(function (e) { edgeById[e.id] = e; edgesOf[e.from].push(e); edgesOf[e.to].push(e); });

  function nodeName(n) { return n.zh && n.en ? n.en + ' · ' + n.zh : n.en || n.zh || n.label; }
  function kindText(k) { return k.label_zh ? k.label + ' · ' + k.label_zh : k.label; }

  // ------------------------------------------------------------------ filter state
  var state = {
    types: {}, kinds: {}, connectedOnly: !!data.defaults.connectedOnly,
    stable: false, animating: false, timings: { start: t0 }, selected: null
  };
  data.types.forEach(function (t) { state.types[t.name] = data.defaults.types.indexOf(t.name) >= 0; });
  data.kinds.forEach(function (k) { state.kinds[k.name] = true; });

  function visibility() {
    var edgeOn = {}, degree = {}, nodeOn = {};
    data.edges.forEach(function (e) {
      var on = state.kinds[e.kind] && state.types[nodeById[e.from].type] && state.types[nodeById[e.to].type] &&
               shownAt(e.since);
      edgeOn[e.id] = on;
      if (on) { degree[e.from] = (degree[e.from] || 0) + 1; degree[e.to] = (degree[e.to] || 0) + 1; }
    });
    data.nodes.forEach(function (n) {
      nodeOn[n.id] = state.types[n.type] && (!state.connectedOnly || !!degree[n.id]) && shownAt(n.since);
    });
    return { nodes: nodeOn, edges: edgeOn };
  }

  // ------------------------------------------------------------------ vis data
  // Everything takes part in the layout, hidden or not, so that no filter can make two
  // entities overlap; the filters apply once it is done.
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var t = typeByName[n.type];
    return {
      id: n.id, label: n.label, shape: t.shape, color: t.color, size: n.size, hidden: false,
      // found in text, not in the lexicon: a dashed outline
      shapeProperties: { borderDashes: n.discovered ? [4, 3] : false }, borderWidth: n.discovered ? 2 : 1,
      physics: edgesOf[n.id].length > 0,  // entities without relations go in rows below the graph
      title: nodeName(n) + '\n' + t.label + (n.discovered ? ' (discovered)' : '') + ' · ' +
             plural(n.mentions, 'mention', 'mentions') + ' in ' + plural(n.interviews.length, 'interview', 'interviews')
    };
  }));
  // vis-network keeps an edge's label when it is updated to '' or null: no label is a zero-width space
  var NO_LABEL = '\u200b';
  var edges = new vis.DataSet(data.edges.map(function (e) {
    var k = kindByName[e.kind];
    var edge = {
      // the label is drawn where it fits (fitEdgeLabels) and on hover or selection
      id: e.id, from: e.from, to: e.to, label: NO_LABEL, width: e.width, hidden: false,
      color: { color: k.color, highlight: k.color, hover: k.color, inherit: false },
      font: { color: k.color }, arrows: { to: { enabled: k.directed, scaleFactor: 0.6 } },
      title: nodeName(nodeById[e.from]) + ' ' + k.label + ' ' + nodeName(nodeById[e.to]) + '\n' +
             plural(e.evidence.length, 'supporting sentence', 'supporting sentences')
    };
    if (k.smooth != null) edge.smooth = k.smooth;  // else the network's option applies
    return edge;
  }));

  var container = document.getElementById('graph');
  var network = new vis.Network(container, { nodes: [], edges: [] }, data.options);
  var status = document.getElementById('status');

  function visibleIds() { return nodes.getIds({ filter: function (n) { return !n.hidden; } }); }
  function fitVisible() {
    var ids = visibleIds();
    network.fit(ids.length ? { nodes: ids, animation: false, maxZoomLevel: 1.5 } : { animation: false });
  }

  // ------------------------------------------------------------------ layout
  // The force layout places the entities with relations, hidden or not; then every entity's box
  // (its shape and the label below it) is moved apart from the others (kgLayout.separate):
  // that is each entity's home. What the filters show is drawn from the homes of the shown
  // entities, brought closer together and moved apart again, so that a part of the graph is as
  // compact as the whole; entities without any relation go in rows below, grouped by type,
  // largest first. No two boxes overlap, whatever is shown.
  var NODE_GAP = 10, FILL = 0.3;  // canvas units between two boxes; how much of its area the drawing fills
  var PART_GAP = 40;  // canvas units between the bounding boxes of two parts that no relation joins
  var COMPACT_MAX = 600;  // above this many shown entities, they stay at home (overlap removal takes ~1 s)
  var home = {}, arranged = { key: null, sx: 1, sy: 1, x: 0, y: 0, moved: {} };
  var ctx2d = null;
  function context() { return ctx2d || (ctx2d = document.createElement('canvas').getContext('2d')); }
  var boxSize = {};
  function nodeBox(id) {
    var node = network.body.nodes[id], b = boxSize[id];
    if (!b) {
      // a triangle reaches 2/sqrt(3) of its size above its centre
      var size = node.options.size, half = size + 2, down = size + 2, up = (node.options.shape === 'triangle' ? 1.155 : 1) * size + 2;
      if (node.options.label) {
        // vis-network draws the label below the shape, its top at y + size + font/2 + 4, and bold
        // while selected: the box takes the wider of the two, and 2 units for the white outline
        var lab = node.labelModule, bold = lab.getTextSize(context(), true, false), plain = lab.getTextSize(context(), false, false);
        half = Math.max(half, Math.max(bold.width, plain.width) / 2 + 2);
        down = size + lab.fontOptions.size / 2 + 4 + Math.max(bold.height, plain.height) + 2;
      }
      b = boxSize[id] = { half: half, up: up, down: down };
    }
    return { id: id, x: node.x, y: node.y, half: b.half, up: b.up, down: b.down };
  }
  // the part of the graph each of `ids` is in, joined by relations among `ids` only
  function partsOf(ids) {
    var parent = {}, inSet = {};
    ids.forEach(function (id) { parent[id] = id; inSet[id] = true; });
    function root(id) { while (parent[id] !== id) { parent[id] = parent[parent[id]]; id = parent[id]; } return id; }
    data.edges.forEach(function (e) {
      if (!inSet[e.from] || !inSet[e.to]) return;
      var a = root(e.from), b = root(e.to);
      if (a !== b) parent[b] = a;
    });
    return ids.map(root);
  }
  function aspect() { return container.clientWidth / Math.max(1, container.clientHeight); }
  function layOut() {  // once, when the force layout is done: the homes
    var t = performance.now();
    var boxes = data.nodes.filter(function (n) { return edgesOf[n.id].length; }).map(function (n) { return nodeBox(n.id); });
    kgLayout.fitSpacing(boxes, FILL);
    var result = kgLayout.separate(boxes, NODE_GAP);
    result.parts = kgLayout.pack(boxes, partsOf(boxes.map(function (b) { return b.id; })), PART_GAP, aspect());
    boxes.forEach(function (b) { home[b.id] = { x: b.x, y: b.y }; });
    state.layout = { rounds: result.rounds, spread: result.spread, parts: result.parts, ms: performance.now() - t };
  }
  function labelArea(shown) {  // the room the labels of the relations among what is shown take
    var f = data.options.edges && data.options.edges.font || {}, size = f.size || 14, area = 0;
    data.edges.forEach(function (e) {
      if (shown[e.from] && shown[e.to]) area += (edgeLabelWidth(kindByName[e.kind]) + 6) * (size + 4);
    });
    return area;
  }
  // the stretches towards the window's shape tried for what is shown, as factors of the window's
  // aspect ratio: the parts packed beside the largest and the rows below change the drawing's shape
  // after the stretch, so the one whose whole drawing fits the window at the largest scale is kept
  var ASPECTS = [1, 0.8, 1.25, 0.64, 1.56];
  var TRY_MAX = 150;  // above this many shown entities, only the first (each try removes overlaps again)
  function arrange(shown) {  // the positions for what is shown; false if they are those drawn
    var ids = data.nodes.filter(function (n) { return shown[n.id]; }).map(function (n) { return n.id; });
    var key = ids.join('\n');
    if (key === arranged.key) return false;
    var t = performance.now();
    var boxes = ids.filter(function (id) { return home[id]; }).map(function (id) {
      var b = nodeBox(id);
      b.x = home[id].x; b.y = home[id].y;
      return b;
    });
    var order = data.types.map(function (t) { return t.name; });
    var lone = ids.filter(function (id) { return !home[id]; }).map(function (id) { return nodeById[id]; });
    lone.sort(function (a, b) { return order.indexOf(a.type) - order.indexOf(b.type) || b.size - a.size || (a.label < b.label ? -1 : 1); });
    var loneBoxes = lone.map(function (n) { return nodeBox(n.id); });
    var fit = { scale: 1, x: 0, y: 0 }, compact = boxes.length <= COMPACT_MAX;
    if (compact) fit = kgLayout.fitSpacing(boxes, FILL, labelArea(shown));
    var start = boxes.map(function (b) { return [b.x, b.y]; });
    var win = aspect(), tries = compact && boxes.length > 1 && boxes.length <= TRY_MAX ? ASPECTS : [1];
    var best = null;
    tries.forEach(function (r) {
      boxes.forEach(function (b, i) { b.x = start[i][0]; b.y = start[i][1]; });
      var f = 1, moved = {};
      if (compact) {
        f = kgLayout.stretch(boxes, win * r, 1.5);
        kgLayout.separate(boxes, NODE_GAP);
        // what is shown can fall apart into parts the whole is not: side by side again
        var before = boxes.map(function (b) { return [b.x, b.y]; });
        kgLayout.pack(boxes, partsOf(boxes.map(function (b) { return b.id; })), PART_GAP, win);
        boxes.forEach(function (b, i) { moved[b.id] = { x: b.x - before[i][0], y: b.y - before[i][1] }; });
      }
      var above = boxes.length ? kgLayout.extent(boxes) : null;
      kgLayout.rows(loneBoxes, above, NODE_GAP, above ? above.right - above.left : 0, function (i) { return lone[i].type; });
      var e = kgLayout.extent(boxes.concat(loneBoxes)), need = Math.max((e.right - e.left) / win, e.bottom - e.top);
      if (!best || need < best.need * (1 - 1e-6)) {
        best = { need: need, f: f, moved: moved, at: boxes.concat(loneBoxes).map(function (b) { return { id: b.id, x: b.x, y: b.y }; }) };
      }
    });
    nodes.update(best.at);
    arranged = { key: key, sx: fit.scale * best.f, sy: fit.scale / best.f, x: fit.x, y: fit.y, moved: best.moved };
    state.layout.arrange = performance.now() - t;
    return true;
  }
  // an entity the user moves keeps its new place when the filters change
  network.on('dragEnd', function (p) {
    var pos = network.getPositions(p.nodes);
    p.nodes.forEach(function (id) {
      if (!home[id]) return;
      var m = arranged.moved[id] || { x: 0, y: 0 };  // its part's move, then the scale, undone
      home[id] = { x: arranged.x + (pos[id].x - m.x - arranged.x) / arranged.sx, y: arranged.y + (pos[id].y - m.y - arranged.y) / arranged.sy };
    });
    if (p.nodes.length) fitEdgeLabels();
  });

  // Edge labels: drawn where they touch no entity and no other label, the relations with the
  // most evidence first; where the kind's name does not fit, its short Chinese name (竞争, 投资) where
  // that does; the others on hover, and for the selection (with the kind's name).
  var labelOn = {}, labelFits = {}, labelHover = {};
  var textWidth = {};
  function labelTextWidth(text) {
    if (textWidth[text] == null) {
      var f = data.options.edges && data.options.edges.font || {}, c = context(), size = f.size || 14;
      c.font = 'bold ' + size + 'px ' + (f.face || 'arial');
      textWidth[text] = c.measureText(text).width;
    }
    return textWidth[text];
  }
  function edgeLabelWidth(k) { return labelTextWidth(k.label); }
  function shortLabel(k) { return k.label_zh && labelTextWidth(k.label_zh) < labelTextWidth(k.label) ? k.label_zh : null; }
  function fitEdgeLabels() {
    if (!state.stable) return;
    var shown = nodes.get({ filter: function (n) { return !n.hidden; } });
    var obstacles = shown.map(function (n) {
      var b = nodeBox(n.id);
      return [b.x - b.half, b.y - b.up, b.x + b.half, b.y + b.down];
    });
    var f = data.options.edges && data.options.edges.font || {}, size = f.size || 14;
    var candidates = data.edges.filter(function (e) { var d = edges.get(e.id); return d && !d.hidden; });
    candidates.sort(function (a, b) { return b.evidence.length - a.evidence.length; });  // stable: data order otherwise
    function at(e, text) {
      var edge = network.body.edges[e.id], from = edge.from, to = edge.to;
      var p = edge.edgeType.getPoint(0.5, edge.edgeType.getViaNode());
      return { x: p.x, y: p.y, w: labelTextWidth(text) + 6, h: size + 4,
               angle: f.align === 'horizontal' ? 0 : Math.atan2(to.y - from.y, to.x - from.x) };
    }
    var labels = candidates.map(function (e) { return at(e, kindByName[e.kind].label); });
    var fit = kgLayout.fitLabels(obstacles, labels);
    labelFits = {};
    candidates.forEach(function (e, i) { if (fit[i]) labelFits[e.id] = kindByName[e.kind].label; });
    // then the short names where the long ones did not fit, around the labels placed (their bounding boxes)
    var rest = candidates.filter(function (e, i) { return !fit[i] && shortLabel(kindByName[e.kind]); });
    if (rest.length) {
      labels.forEach(function (lab, i) {
        if (!fit[i]) return;
        var poly = kgLayout.corners(lab.x, lab.y, lab.w, lab.h, lab.angle);
        var xs = poly.map(function (q) { return q[0]; }), ys = poly.map(function (q) { return q[1]; });
        obstacles.push([Math.min.apply(null, xs), Math.min.apply(null, ys), Math.max.apply(null, xs), Math.max.apply(null, ys)]);
      });
      var short = kgLayout.fitLabels(obstacles, rest.map(function (e) { return at(e, shortLabel(kindByName[e.kind])); }));
      rest.forEach(function (e, i) { if (short[i]) labelFits[e.id] = shortLabel(kindByName[e.kind]); });
    }
    showEdgeLabels();
  }
  function showEdgeLabels() {
    var want = {}, updates = [];
    for (var id in labelFits) want[id] = labelFits[id];
    network.getSelectedEdges().forEach(function (id) { want[id] = true; });
    for (id in labelHover) want[id] = true;
    data.edges.forEach(function (e) {
      var text = want[e.id] === true ? kindByName[e.kind].label : want[e.id] || NO_LABEL;
      if (text !== (labelOn[e.id] || NO_LABEL)) {
        labelOn[e.id] = text;
        updates.push({ id: e.id, label: text });
      }
    });
    if (updates.length) edges.update(updates);
  }
  function hoverLabels(ids) {
    labelHover = {};
    (ids || []).forEach(function (id) { labelHover[id] = true; });
    showEdgeLabels();
  }
  network.on('hoverEdge', function (p) { hoverLabels([p.edge]); });
  network.on('hoverNode', function (p) { hoverLabels(edgesOf[p.node].map(function (e) { return e.id; })); });
  network.on('blurEdge', function () { hoverLabels([]); });
  network.on('blurNode', function () { hoverLabels([]); });
  network.on('click', showEdgeLabels);  // after the click's selection

  function settled() {
    network.setOptions({ physics: { enabled: false } });
    state.timings.physics = performance.now();
    layOut();
    state.stable = true;
    status.hidden = true;
    apply();
    state.timings.stable = performance.now();
  }
  network.on('stabilizationProgress', function (p) {
    status.textContent = 'Laying out ' + plural(data.nodes.length, 'entity', 'entities') + '… ' +
      Math.round(100 * p.iterations / p.total) + '%';
  });
  network.once('stabilizationIterationsDone', settled);
  network.setData({ nodes: nodes, edges: edges });
  var physics = data.options.physics;
  if (!data.nodes.length || physics === false || (physics && (physics.enabled === false ||
      (physics.stabilization && physics.stabilization.enabled === false)))) settled();

  // ------------------------------------------------------------------ filters
  function apply() {
    var v = visibility(), nodeUpdates = [], edgeUpdates = [];
    if (state.stable) {  // until the layout is done, everything takes part in it
      nodes.forEach(function (n) { if (n.hidden === v.nodes[n.id]) nodeUpdates.push({ id: n.id, hidden: !v.nodes[n.id] }); });
      edges.forEach(function (e) { if (e.hidden === v.edges[e.id]) edgeUpdates.push({ id: e.id, hidden: !v.edges[e.id] }); });
    }
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
    if (state.stable && arrange(v.nodes)) fitVisible();
    fitEdgeLabels();
    document.querySelectorAll('input[data-type]').forEach(function (box) { box.checked = !!state.types[box.dataset.type]; });
    document.querySelectorAll('input[data-kind]').forEach(function (box) { box.checked = !!state.kinds[box.dataset.kind]; });
    document.getElementById('connected-only').checked = state.connectedOnly;
    var shownNodes = data.nodes.filter(function (n) { return v.nodes[n.id]; }).length;
    var shownEdges = data.edges.filter(function (e) { return v.edges[e.id]; }).length;
    document.getElementById('shown').textContent = 'Showing ' + shownNodes + ' of ' +
      plural(data.nodes.length, 'entity', 'entities') + ' and ' + shownEdges + ' of ' +
      plural(data.edges.length, 'relation', 'relations') + '.';
    if (state.selected) renderSelection();
  }

  function icon(shape, color) {
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('width', '16'); svg.setAttribute('height', '16'); svg.setAttribute('viewBox', '0 0 16 16');
    var s;
    if (shape === 'dot') { s = document.createElementNS(ns, 'circle'); s.setAttribute('cx', 8); s.setAttribute('cy', 8); s.setAttribute('r', 6); }
    else if (shape === 'square') { s = document.createElementNS(ns, 'rect'); s.setAttribute('x', 2); s.setAttribute('y', 2); s.setAttribute('width', 12); s.setAttribute('height', 12); }
    else {
      var pts = { diamond: '8,1 15,8 8,15 1,8', triangle: '8,1 15,14 1,14', triangleDown: '1,2 15,2 8,15',
                  hexagon: '4,2 12,2 15,8 12,14 4,14 1,8', star: '8,1 10,6 15,6 11,9 13,15 8,11 3,15 5,9 1,6 6,6' }[shape] || '2,2 14,2 14,14 2,14';
      s = document.createElementNS(ns, 'polygon'); s.setAttribute('points', pts);
    }
    s.setAttribute('fill', color); s.setAttribute('stroke', 'rgba(0,0,0,.35)');
    svg.appendChild(s);
    return svg;
  }
  function lineIcon(color, directed) {
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('width', '22'); svg.setAttribute('height', '12'); svg.setAttribute('viewBox', '0 0 22 12');
    var l = document.createElementNS(ns, 'line');
    l.setAttribute('x1', 1); l.setAttribute('y1', 6); l.setAttribute('x2', directed ? 15 : 21); l.setAttribute('y2', 6);
    l.setAttribute('stroke', color); l.setAttribute('stroke-width', 3);
    svg.appendChild(l);
    if (directed) {
      var a = document.createElementNS(ns, 'polygon');
      a.setAttribute('points', '14,1 21,6 14,11'); a.setAttribute('fill', color);
      svg.appendChild(a);
    }
    return svg;
  }

  var typeBox = document.getElementById('type-filters');
  data.types.forEach(function (t) {
    var box = el('input', { type: 'checkbox', 'data-type': t.name });
    box.checked = state.types[t.name];
    box.addEventListener('change', function () { state.types[t.name] = box.checked; apply(); });
    typeBox.append(el('label', { class: 'filter' }, box, icon(t.shape, t.color),
      el('span', { text: t.label_zh ? t.label + ' · ' + t.label_zh : t.label }), el('span', { class: 'count', text: String(t.count) })));
  });
  var kindBox = document.getElementById('kind-filters');
  data.kinds.forEach(function (k) {
    var box = el('input', { type: 'checkbox', 'data-kind': k.name });
    box.checked = true;
    box.addEventListener('change', function () { state.kinds[k.name] = box.checked; apply(); });
    kindBox.append(el('label', { class: 'filter', title: k.iri }, box, lineIcon(k.color, k.directed),
      el('span', { text: kindText(k) }), el('span', { class: 'count', text: String(k.count) })));
  });
  if (!data.kinds.length) kindBox.append(el('p', { class: 'hint', text: 'This graph has no relations.' }));
  var connectedBox = document.getElementById('connected-only');
  connectedBox.addEventListener('change', function () { state.connectedOnly = connectedBox.checked; apply(); });
  document.getElementById('fit').addEventListener('click', fitVisible);

  var s = data.summary;
  document.getElementById('summary').textContent = [plural(s.interviews, 'interview', 'interviews'),
    plural(data.nodes.length, 'entity', 'entities'), plural(data.edges.length, 'relation', 'relations'),
    plural(s.evidence, 'evidence sentence', 'evidence sentences')].join(' · ');

  // ------------------------------------------------------------------ details panel
  var details = document.getElementById('details');

  function showHelp() {
    state.selected = null;
    clear(details);
    details.append(el('h2', { text: 'Details' }),
      el('p', { class: 'hint', text: 'Click an entity to see its names, aliases, type, Wikidata link and relations. ' +
        'Click a relation to read every sentence that supports it, with its interview and date.' }));
  }

  function entityButton(id) {
    var n = nodeById[id];
    return el('button', { type: 'button', class: 'link', text: nodeName(n), on: { click: function () { focusEntity(id); } } });
  }

  function showEntity(id) {
    var n = nodeById[id];
    if (!n) return;
    state.selected = { node: id };
    var t = typeByName[n.type];
    clear(details);
    details.append(el('h2', { text: 'Entity' }));
    details.append(el('h3', { text: n.en || n.zh || n.label }));
    if (n.en && n.zh) details.append(el('p', { class: 'names', lang: 'zh', text: n.zh }));
    var dl = el('dl');
    dl.append(el('dt', { text: 'Type' }), el('dd', {}, el('span', { class: 'badge', style: 'background:' + t.color, text: t.label_zh ? t.label + ' · ' + t.label_zh : t.label })));
    if (n.discovered) dl.append(el('dt', { text: 'Source' }), el('dd', { class: 'discovered', text: 'Found in the text; not in the lexicon (provisional IRI)' }));
    if (n.aliases.length) dl.append(el('dt', { text: 'Also called' }), el('dd', { class: 'aliases', text: n.aliases.join(', ') }));
    if (n.wikidata) dl.append(el('dt', { text: 'Wikidata' }), el('dd', {}, link('https://www.wikidata.org/wiki/' + n.wikidata, n.wikidata)));
    dl.append(el('dt', { text: 'Mentioned' }), el('dd', { text: plural(n.mentions, 'time', 'times') + ' in ' + plural(n.interviews.length, 'interview', 'interviews') }));
    dl.append(el('dt', { text: 'IRI' }), el('dd', { class: 'meta', text: n.id }));
    details.append(dl);
    if (n.interviews.length) {
      var ul = el('ul', { class: 'relations' });
      n.interviews.forEach(function (i) {
        var iv = data.interviews[i];
        ul.append(el('li', {}, link(iv.source, iv.title), iv.date ? el('span', { class: 'meta', text: ' · ' + iv.date }) : null));
      });
      details.append(el('h2', { text: 'Interviews' }), ul);
    }
    var rels = edgesOf[id];
    details.append(el('h2', { text: 'Relations (' + rels.length + ')' }));
    if (!rels.length) details.append(el('p', { class: 'hint', text: 'No relations in this graph.' }));
    var list = el('ul', { class: 'relations' });
    var v = visibility();
    rels.forEach(function (e) {
      var k = kindByName[e.kind];
      var other = e.from === id ? e.to : e.from;
      var verb = !k.directed ? k.label : e.from === id ? k.label : k.label + ' (by)';
      var li = el('li', { class: v.edges[e.id] ? '' : 'hidden-rel' },
        el('span', { class: 'swatch', style: 'background:' + k.color }),
        el('button', { type: 'button', class: 'link', text: verb, title: 'Show the evidence', on: { click: function () { selectRelation(e.id); } } }),
        ' ', entityButton(other),
        el('span', { class: 'meta', text: ' · ' + plural(e.evidence.length, 'sentence', 'sentences') }));
      list.append(li);
    });
    details.append(list);
  }

  function highlighted(sentence, trigger) {
    var q = el('blockquote', { lang: 'zh' });
    var at = trigger ? sentence.indexOf(trigger) : -1;
    if (at < 0) { q.textContent = sentence; return q; }
    q.append(sentence.slice(0, at), el('mark', { text: trigger }), sentence.slice(at + trigger.length));
    return q;
  }

  function showRelation(id) {
    var e = edgeById[id];
    if (!e) return;
    state.selected = { edge: id };
    var k = kindByName[e.kind];
    clear(details);
    details.append(el('h2', { text: 'Relation' }));
    details.append(el('h3', {}, entityButton(e.from), ' ', el('span', { style: 'color:' + k.color, text: k.label }), ' ', entityButton(e.to)));
    details.append(el('p', { class: 'meta', text: kindText(k) + (k.directed ? '' : ' (symmetric)') + ' · ' +
      plural(e.evidence.length, 'supporting sentence', 'supporting sentences') }));
    if (!e.evidence.length) {
      details.append(el('p', { class: 'hint', text: 'This graph has no evidence sentences for this relation.' }));
      return;
    }
    var ol = el('ol', { class: 'evidence' });
    e.evidence.forEach(function (ev) {
      var iv = ev.interview != null ? data.interviews[ev.interview] : null;
      var meta = el('div', { class: 'meta' });
      if (iv) {
        meta.append(link(iv.source, iv.title));
        if (iv.date) meta.append(' · ' + iv.date);
        if (iv.file) meta.append(' · ' + iv.file + (ev.start != null ? ' @' + ev.start : ''));
      }
      var how = [];
      if (!k.directed && ev.subject !== e.from) how.push('stated as ' + nodeName(nodeById[ev.subject]) + ' → ' + nodeName(nodeById[ev.object]));
      if (ev.rule) how.push('rule ' + ev.rule);
      if (ev.confidence != null) how.push('confidence ' + ev.confidence.toFixed(2));
      ol.append(el('li', { class: 'evidence-item' }, highlighted(ev.sentence, ev.trigger), meta,
        how.length ? el('div', { class: 'meta', text: how.join(' · ') }) : null));
    });
    details.append(ol);
  }

  function renderSelection() {
    if (state.selected && state.selected.node) showEntity(state.selected.node);
    else if (state.selected && state.selected.edge) showRelation(state.selected.edge);
  }

  network.on('animationFinished', function () { state.animating = false; });
  network.on('click', function (p) {
    if (p.nodes.length) showEntity(p.nodes[0]);
    else if (p.edges.length) showRelation(p.edges[0]);
    else showHelp();
  });

  // ------------------------------------------------------------------ search and focus
  function ensureVisible(id) {
    var n = nodeById[id];
    if (!state.types[n.type]) { state.types[n.type] = true; apply(); }
    if (nodes.get(id).hidden && state.connectedOnly) { state.connectedOnly = false; apply(); }
  }
  function focusEntity(id) {
    if (!nodeById[id]) return;
    ensureVisible(id);
    network.selectNodes([id]);
    showEdgeLabels();
    state.animating = true;
    network.focus(id, { scale: Math.max(network.getScale(), 1.1), animation: { duration: 350, easingFunction: 'easeInOutQuad' } });
    showEntity(id);
  }
  function selectRelation(id) {
    var e = edgeById[id];
    if (!e) return;
    ensureVisible(e.from); ensureVisible(e.to);
    if (!state.kinds[e.kind]) { state.kinds[e.kind] = true; apply(); }
    network.setSelection({ nodes: [], edges: [id] }, { unselectAll: true, highlightEdges: false });
    showEdgeLabels();
    showRelation(id);
  }
  function find(query) {
    var q = norm(query);
    if (!q) return [];
    var hits = [];
    data.nodes.forEach(function (n) {
      var best = 9;
      for (var i = 0; i < n.keys.length; i++) {
        var key = n.keys[i];
        var score = key === q ? 0 : key.indexOf(q) === 0 ? 1 : key.indexOf(q) > 0 ? 2 : 9;
        if (score < best) best = score;
      }
      if (best < 9) hits.push([best, -n.mentions, n.label.toLowerCase(), n.id]);
    });
    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0); });
    return hits.map(function (h) { return h[3]; });
  }
  var searchBox = document.getElementById('search');
  var results = document.getElementById('search-results');
  function showResults() {
    clear(results);
    if (!searchBox.value.trim()) return;
    var ids = find(searchBox.value);
    if (!ids.length) { results.append(el('li', { class: 'none', text: 'No entity has that name.' })); return; }
    ids.slice(0, 10).forEach(function (id) {
      var n = nodeById[id];
      results.append(el('li', {}, el('button', { type: 'button', text: nodeName(n), on: { click: function () { focusEntity(id); } } }),
        el('span', { class: 'meta', text: ' ' + typeByName[n.type].label })));
    });
    if (ids.length > 10) results.append(el('li', { class: 'none', text: (ids.length - 10) + ' more…' }));
  }
  function search(query) {
    if (query != null) searchBox.value = query;
    showResults();
    var ids = find(searchBox.value);
    if (ids.length) focusEntity(ids[0]);
    return ids.length ? ids[0] : null;
  }
  searchBox.addEventListener('input', showResults);
  searchBox.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') { ev.preventDefault(); search(); } });

  // ------------------------------------------------------------------ time and communities
  // The date slider: state.asOf is null (every interview, dated or not) or a date (YYYY-MM-DD):
  // then only what interviews dated on or before it say is shown (undated ones cannot be placed).
  function shownAt(since) {
    if (state.asOf == null) return true;
    return !!since && since <= state.asOf;
  }
  function setAsOf(date) {
    state.asOf = date || null;
    var slider = document.getElementById('as-of');
    if (slider) {
      var dates = data.timeline.dates, i = state.asOf == null ? dates.length : dates.indexOf(state.asOf);
      if (i < 0) i = dates.filter(function (d) { return d <= state.asOf; }).length - 1;
      slider.value = String(Math.max(0, i));
      document.getElementById('as-of-label').textContent = state.asOf == null ?
        'All interviews' + (data.timeline.undated ? ' (' + plural(data.timeline.undated, 'undated one', 'undated ones') + ' included)' : '') :
        'As of ' + state.asOf;
    }
    apply();
  }
  function setupTimeline() {
    var dates = (data.timeline && data.timeline.dates) || [];
    if (!dates.length) return;
    var slider = el('input', { type: 'range', id: 'as-of', min: '0', max: String(dates.length), step: '1',
                               value: String(dates.length), 'aria-label': 'Show the graph as of this date' });
    slider.addEventListener('input', function () {
      var i = Number(slider.value);
      setAsOf(i >= dates.length ? null : dates[i]);
    });
    var section = el('section', { id: 'timeline' }, el('h2', { text: 'Time' }), slider,
      el('p', { id: 'as-of-label', class: 'hint' }),
      el('p', { class: 'hint', text: dates[0] + ' … ' + dates[dates.length - 1] + ' · ' +
        plural(dates.length, 'interview date', 'interview dates') }));
    document.getElementById('kind-filters').parentNode.after(section);
    setAsOf(null);
  }
  // Colour by community (kg view --communities): data.communities and each node's community.
  function colourByCommunity(on) {
    if (!data.communities) return;
    state.communityColours = !!on;
    var colour = {}, updates = [];
    data.communities.forEach(function (c) { colour[c.id] = c.color; });
    data.nodes.forEach(function (n) {
      var c = on ? (n.community != null ? colour[n.community] : data.noCommunityColor) : typeByName[n.type].color;
      updates.push({ id: n.id, color: c });
    });
    nodes.update(updates);
    var box = document.getElementById('community-colours');
    if (box) box.checked = state.communityColours;
  }
  function setupCommunities() {
    if (!data.communities) return;
    var box = el('input', { type: 'checkbox', id: 'community-colours' });
    box.addEventListener('change', function () { colourByCommunity(box.checked); });
    var list = el('ol', { id: 'community-legend' });
    data.communities.forEach(function (c) {
      list.append(el('li', { 'data-community': String(c.id) }, el('span', { class: 'swatch', style: 'background:' + c.color }),
        el('span', { text: c.name }), el('span', { class: 'count', text: String(c.size) })));
    });
    var section = el('section', { id: 'communities' }, el('h2', { text: 'Communities' }),
      el('label', { class: 'option' }, box, ' Colour by community'), list);
    document.getElementById('kind-filters').parentNode.after(section);
    colourByCommunity(true);
  }
  state.asOf = null;
  setupCommunities();
  setupTimeline();

  showHelp();
  apply();

  window.kgView = {
    data: data, network: network, nodes: nodes, edges: edges, state: state,
    drawn: function () {
      return { nodes: network.body.nodeIndices.slice(), edges: network.body.edgeIndices.slice() };
    },
    setType: function (name, on) { state.types[name] = !!on; apply(); },
    setKind: function (name, on) { state.kinds[name] = !!on; apply(); },
    setConnectedOnly: function (on) { state.connectedOnly = !!on; apply(); },
    search: search, find: find, focus: focusEntity, showEntity: showEntity, showRelation: showRelation,
    selectRelation: selectRelation, fit: fitVisible, fitEdgeLabels: fitEdgeLabels,
    labelFits: function () { return Object.keys(labelFits); },
    setAsOf: setAsOf, colourByCommunity: colourByCommunity
  };
})();
