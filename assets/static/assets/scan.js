/* Scan a QR label with the phone's camera (jsQR decodes the frames) and put what it reads into the
   page's number field, then submit its form. Without a camera (refused, none, no jsQR) the button
   stays hidden and the typed number works as before. No inline script: CSP allows only files. */
(function () {
  "use strict";
  var box = document.querySelector("[data-scanner]");
  var start = document.querySelector("[data-scan-start]");
  var input = document.querySelector("[data-scan-input]");
  if (!box || !start || !input || typeof window.jsQR !== "function" || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return;
  }
  start.hidden = false;
  var video = document.createElement("video");
  video.setAttribute("playsinline", "");
  video.muted = true;
  video.className = "w-100 rounded border";
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var stream = null;

  function numberOf(text) {
    var match = /[?&]n=([^&#]+)/.exec(text);
    return match ? decodeURIComponent(match[1].replace(/\+/g, " ")) : text;
  }

  function stop() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    box.hidden = true;
  }

  function tick() {
    if (!stream) { return; }
    if (video.readyState === video.HAVE_ENOUGH_DATA) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var code = window.jsQR(context.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height,
                             { inversionAttempts: "dontInvert" });
      if (code && code.data) {
        stop();
        input.value = numberOf(code.data).trim();
        if (input.form) { input.form.requestSubmit ? input.form.requestSubmit() : input.form.submit(); }
        return;
      }
    }
    window.requestAnimationFrame(tick);
  }

  start.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (s) {
      stream = s;
      box.hidden = false;
      box.replaceChildren(video);
      video.srcObject = s;
      video.play();
      window.requestAnimationFrame(tick);
    }).catch(function () {
      start.hidden = true;  // refused: the typed number is the way
      input.focus();
    });
  });
  window.addEventListener("pagehide", stop);
})();
