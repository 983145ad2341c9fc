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

// New points for live charts: each line keeps its first `keep` points and gains `x`/`y` (a long curve's last bucket
// changes as points arrive). A run page updates all its charts at once; drawn back to back they make one long task
// that freezes the page, so each chart is drawn in its own task, and updates that pile up for a chart are merged.
(() => {
  const pending = new Map();
  let scheduled = false;
  const drawNext = () => {
    scheduled = false;
    const next = pending.entries().next();
    if (next.done) return;
    const [id, update] = next.value;
    pending.delete(id);
    const gd = document.getElementById(id);
    if (gd && gd.data && window.Plotly) {
      update.keep.forEach((keep, i) => {
        gd.data[i].x = Array.from(gd.data[i].x).slice(0, keep);
        gd.data[i].y = Array.from(gd.data[i].y).slice(0, keep);
      });
      window.Plotly.extendTraces(gd, { x: update.x, y: update.y }, update.keep.map((_, i) => i));
    }
    if (pending.size > 0) schedule();
  };
  const schedule = () => {
    if (!scheduled) {
      scheduled = true;
      setTimeout(drawNext, 0);
    }
  };
  window.crlExtendTraces = (id, keep, x, y) => {
    const queued = pending.get(id);
    if (queued) {
      // The queued update leaves keep + x.length points; the new one cuts back to its own keep and adds its points.
      keep.forEach((k, i) => {
        const cut = Math.max(0, k - queued.keep[i]);
        if (k >= queued.keep[i]) {
          queued.x[i] = queued.x[i].slice(0, cut).concat(x[i]);
          queued.y[i] = queued.y[i].slice(0, cut).concat(y[i]);
        } else {
          queued.keep[i] = k;
          queued.x[i] = x[i];
          queued.y[i] = y[i];
        }
      });
    } else {
      pending.set(id, { keep, x, y });
    }
    schedule();
  };
})();
