// Saves text the server rendered (a chart's CSV) as a file, without a second request.
window.crlDownload = (fileName, text, mimeType) => {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
};

// New points for live charts. A run page updates all its charts at once; drawn back to back they make one long task
// that freezes the page, so each chart is drawn in its own task, and points that pile up for a chart meanwhile are
// drawn together.
(() => {
  const pending = new Map();
  let scheduled = false;
  const drawNext = () => {
    scheduled = false;
    const next = pending.entries().next();
    if (next.done) return;
    const [id, update] = next.value;
    pending.delete(id);
    if (document.getElementById(id) && window.Plotly) window.Plotly.extendTraces(id, { x: update.x, y: update.y }, update.indices);
    if (pending.size > 0) schedule();
  };
  const schedule = () => {
    if (!scheduled) {
      scheduled = true;
      setTimeout(drawNext, 0);
    }
  };
  window.crlExtendTraces = (id, x, y) => {
    const queued = pending.get(id);
    if (queued) {
      x.forEach((points, i) => queued.x[i].push(...points));
      y.forEach((points, i) => queued.y[i].push(...points));
    } else {
      pending.set(id, { x, y, indices: x.map((_, i) => i) });
    }
    schedule();
  };
})();
