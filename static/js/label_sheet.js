// The A4 label sheets (room labels, asset labels). On a phone each page is scaled down to the
// screen's width; printing uses the real size. Handlers here, not in attributes: the
// Content-Security-Policy allows no inline handlers.
(function () {
  const fit = () => document.querySelectorAll(".sheet").forEach((s) => {
    s.style.zoom = "";
    const ratio = (document.documentElement.clientWidth - 8) / s.offsetWidth;
    if (ratio < 1) s.style.zoom = ratio;
  });
  fit();
  window.addEventListener("resize", fit);
  window.addEventListener("beforeprint", () => document.querySelectorAll(".sheet").forEach((s) => (s.style.zoom = "")));
  window.addEventListener("afterprint", fit);
  document.querySelectorAll("[data-autosubmit]").forEach((el) => el.addEventListener("change", () => el.form.submit()));
  document.querySelectorAll("[data-print]").forEach((el) => el.addEventListener("click", () => {
    if (!el.dataset.confirm || window.confirm(el.dataset.confirm)) window.print();
  }));
})();
