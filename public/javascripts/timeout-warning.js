// The session-timeout warning (WCAG 2.2.1). The server renders a closed <dialog id="timeout-warning"> with the
// deadlines in seconds from when the page was sent (src/timeout/timeout-warning.ts). Before the deadline the
// dialog opens as a modal: focus moves into it, the rest of the page is inert, and a screen reader reads its
// heading and countdown. Its button extends the session without leaving the page (so nothing typed is lost);
// Escape does the same. At the deadline the page goes to the timed-out address. A session that cannot be
// extended (the staff 8-hour limit) gets a dialog that only informs, then the same ending.

function inWords(seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return minutes === 1 ? '1 minute' : `${minutes} minutes`;
  }
  return seconds === 1 ? '1 second' : `${seconds} seconds`;
}

/** What a screen reader is told as time passes: each whole minute, then once with 30 seconds left. */
function announcementStep(seconds) {
  if (seconds > 60) return `${Math.ceil(seconds / 60)}m`;
  if (seconds <= 30) return '30s';
  return '1m';
}

export function initTimeoutWarning(dialog) {
  if (!dialog || typeof dialog.showModal !== 'function') return;
  const warnAfter = Number(dialog.dataset.warnAfter) * 1000;
  const timeOutAfter = Number(dialog.dataset.timeOutAfter) * 1000;
  const timedOutUrl = dialog.dataset.timedOutUrl;
  const extendUrl = dialog.dataset.extendUrl;
  if (!Number.isFinite(warnAfter) || !Number.isFinite(timeOutAfter) || !timedOutUrl) return;

  const countdown = dialog.querySelector('.app-timeout-dialog__countdown');
  const text = countdown.parentElement;
  const announcement = dialog.querySelector('.app-timeout-dialog__announcement');
  const form = dialog.querySelector('form');

  let deadline = 0;
  let warnTimer;
  let deadlineTimer;
  let tick;
  let step = '';

  const secondsLeft = () => Math.max(0, Math.ceil((deadline - Date.now()) / 1000));

  function leave() {
    clearInterval(tick);
    window.location.assign(timedOutUrl);
  }

  function update() {
    const left = secondsLeft();
    const words = inWords(left);
    if (countdown.textContent !== words) countdown.textContent = words;
    const now = announcementStep(left);
    if (now !== step) {
      step = now;
      announcement.textContent = text.textContent.replace(/\s+/g, ' ').trim();
    }
  }

  function open() {
    // The dialog's description already says the time when it opens: announce only later steps.
    step = announcementStep(secondsLeft());
    announcement.textContent = '';
    update();
    dialog.showModal();
    clearInterval(tick);
    tick = setInterval(update, 1000);
  }

  function schedule(from) {
    clearTimeout(warnTimer);
    clearTimeout(deadlineTimer);
    deadline = from + timeOutAfter;
    warnTimer = setTimeout(open, Math.max(0, from + warnAfter - Date.now()));
    deadlineTimer = setTimeout(leave, Math.max(0, deadline - Date.now()));
  }

  function close() {
    clearInterval(tick);
    if (dialog.open) dialog.close();
  }

  async function extended() {
    try {
      const response = await fetch(extendUrl, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'x-requested-with': 'timeout-warning' },
        body: new URLSearchParams(new FormData(form)),
      });
      return response.ok;
    } catch {
      return false;
    }
  }

  async function stay(event) {
    if (!extendUrl) {
      // Nothing to extend: the dialog only informs (Escape or the button close it); the deadline stands.
      clearInterval(tick);
      return;
    }
    event.preventDefault();
    const startedAt = Date.now();
    if (await extended()) {
      close();
      schedule(startedAt);
    } else {
      // The server could not extend it (the session has gone, or the network failed): post the form as a page.
      form.submit();
    }
  }

  form.addEventListener('submit', stay);
  // Escape closes a modal dialog: treat it as "I need more time", as the button does.
  dialog.addEventListener('cancel', stay);
  schedule(Date.now());
}
