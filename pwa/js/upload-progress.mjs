// Upload progress for document forms: the same POST, sent with XMLHttpRequest so the bytes sent can be
// shown and announced (politely, every quarter). Without JavaScript the form posts as usual.
for (const form of document.querySelectorAll('form[data-module="upload-progress"]')) {
  const status = form.querySelector('[data-upload-status]');
  const bar = form.querySelector('[data-upload-bar]');
  form.addEventListener('submit', (event) => {
    const file = form.querySelector('input[type="file"]');
    if (!file || !file.files.length || typeof window.XMLHttpRequest !== 'function') return;
    event.preventDefault();
    const request = new XMLHttpRequest();
    let announced = -1;
    request.open('POST', form.action);
    request.upload.addEventListener('progress', (progress) => {
      if (!progress.lengthComputable) return;
      const percent = Math.floor((progress.loaded / progress.total) * 100);
      bar.hidden = false;
      bar.value = percent;
      const quarter = Math.floor(percent / 25);
      if (quarter > announced) {
        announced = quarter;
        status.textContent = status.dataset.i18nProgress.replace('{percent}', String(percent));
      }
    });
    request.upload.addEventListener('load', () => {
      status.textContent = status.dataset.i18nChecking;
    });
    request.addEventListener('load', () => {
      if (request.status < 400) {
        window.location.assign(request.responseURL); // the page the server redirected to
      } else {
        // The server's own page with the error next to the field: show it as a normal post would.
        document.open();
        document.write(request.responseText);
        document.close();
      }
    });
    request.addEventListener('error', () => {
      bar.hidden = true;
      status.textContent = status.dataset.i18nFailed;
    });
    request.send(new FormData(form));
  });
}
