// The guest page (/g/<token>): turns the server-rendered form into a JSON POST to /g/<token>/open and shows the
// result in place. Without JavaScript the form still works (the server answers with the page). All texts come from
// the server's catalogue (data-msg-* attributes), so the page stays in the guest's language.
const card = document.querySelector('.guest-card');
const form = document.getElementById('guest-form');
const result = document.getElementById('guest-result');

function show(ok, message) {
  result.hidden = false;
  result.textContent = message;
  result.className = 'alert ' + (ok ? 'alert-success' : 'alert-error');
}

if (form && card && result) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = event.submitter && event.submitter.name === 'door' ? event.submitter : form.querySelector('button');
    const pinInput = document.getElementById('guest-pin');
    const body = { door: button.value };
    if (pinInput) body.pin = pinInput.value;
    const buttons = form.querySelectorAll('button');
    buttons.forEach((b) => (b.disabled = true));
    show(true, card.dataset.msgOpening);
    try {
      const response = await fetch(form.action, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
      });
      const doc = await response.json().catch(() => null);
      if (doc && doc.success) {
        show(true, card.dataset.msgOpened.replace('{door}', button.dataset.doorName || button.value));
        const uses = document.getElementById('guest-uses');
        if (uses && typeof doc.remaining_uses === 'number') uses.textContent = uses.textContent.replace(/\d+/, String(doc.remaining_uses));
        if (doc.remaining_uses === 0) return; // used up: leave the buttons disabled
      } else {
        show(false, (doc && doc.error && doc.error.message) || card.dataset.msgDoorFailed);
        if (response.status === 410) return; // the pass is over: nothing more to try
      }
    } catch {
      show(false, card.dataset.msgNetworkError);
    }
    buttons.forEach((b) => (b.disabled = false));
  });
}
