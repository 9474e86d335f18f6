// Staff pages: sign-in, silent session refresh, sign-out. CSRF token comes from its cookie.
const csrf = () => (document.cookie.match(/(?:^|; )havre_csrf=([^;]+)/) || [])[1] || "";

const post = (path, body) =>
  fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json", "x-csrf-token": csrf() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const safeNext = (value) => (value && value.startsWith("/") && !value.startsWith("//") ? value : "/console/");

const form = document.getElementById("sign-in");
if (form) {
  const next = safeNext(form.dataset.next);
  const error = document.getElementById("sign-in-error");
  const button = form.querySelector("button[type=submit]");
  // A still-valid refresh cookie signs the person back in without the form.
  post("/api/auth/refresh").then((response) => {
    if (response.ok) location.replace(next);
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    const label = button.textContent;
    button.disabled = true;
    button.textContent = form.dataset.busy;
    try {
      const response = await post("/api/auth/sign-in", {
        email: form.email.value,
        password: form.password.value,
      });
      if (response.ok) {
        location.replace(next);
        return;
      }
      const problem = await response.json().catch(() => ({}));
      error.textContent = problem.title || response.statusText;
      error.hidden = false;
      form.password.focus();
    } finally {
      button.disabled = false;
      button.textContent = label;
    }
  });
}

const signOut = document.getElementById("sign-out");
if (signOut) {
  signOut.addEventListener("click", async () => {
    await post("/api/auth/sign-out");
    location.replace("/sign-in");
  });
}
