// Staff pages: sign-in (password, then a TOTP or recovery code when the account has one),
// silent session refresh, sign-out. CSRF token comes from its cookie. The session lives in
// httpOnly cookies only: sign-in asks for session "cookie", so no answer carries a token a
// script could read.
export const csrf = () => (document.cookie.match(/(?:^|; )havre_csrf=([^;]+)/) || [])[1] || "";

export const post = (path, body, method = "POST") =>
  fetch(path, {
    method,
    credentials: "same-origin",
    headers: { "content-type": "application/json", "x-csrf-token": csrf() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

// A path on this site only: browsers read "/\\host" as "//host" and drop tabs and newlines.
const safeNext = (value) =>
  value && value.startsWith("/") && !value.startsWith("//") && !/[\\\u0000-\u001f]/.test(value)
    ? value
    : "/console/";

const problemTitle = async (response) => {
  const problem = await response.json().catch(() => ({}));
  return { code: problem.code, title: problem.title || response.statusText };
};

// Disables the button and shows the busy label while `work` runs.
const busy = async (form, work) => {
  const button = form.querySelector("button[type=submit]");
  const label = button.textContent;
  button.disabled = true;
  button.textContent = form.dataset.busy;
  try {
    await work();
  } finally {
    button.disabled = false;
    button.textContent = label;
  }
};

const form = document.getElementById("sign-in");
if (form) {
  const next = safeNext(form.dataset.next);
  const error = document.getElementById("sign-in-error");
  const second = document.getElementById("second-step");
  const secondError = document.getElementById("second-step-error");
  let secondToken = null;

  const showError = (element, text) => {
    element.textContent = text;
    element.hidden = false;
  };
  const backToPassword = (text) => {
    secondToken = null;
    second.hidden = true;
    form.hidden = false;
    form.password.value = "";
    if (text) showError(error, text);
    form.password.focus();
  };

  // A still-valid refresh cookie signs the person back in without the form.
  post("/api/auth/refresh").then((response) => {
    if (response.ok) location.replace(next);
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    await busy(form, async () => {
      const response = await post("/api/auth/sign-in", {
        email: form.email.value,
        password: form.password.value,
        session: "cookie",
      });
      if (!response.ok) {
        showError(error, (await problemTitle(response)).title);
        form.password.focus();
        return;
      }
      const body = await response.json();
      if (body.second_step_token) {
        secondToken = body.second_step_token;
        form.hidden = true;
        second.hidden = false;
        secondError.hidden = true;
        second.code.value = "";
        second.code.focus();
        return;
      }
      location.replace(next);
    });
  });
  second.addEventListener("submit", async (event) => {
    event.preventDefault();
    secondError.hidden = true;
    await busy(second, async () => {
      const response = await post("/api/auth/sign-in/second-step", {
        second_step_token: secondToken || "",
        code: second.code.value.trim(),
        session: "cookie",
      });
      if (response.ok) {
        location.replace(next);
        return;
      }
      const problem = await problemTitle(response);
      if (problem.code === "second_step_expired" || response.status === 429) {
        backToPassword(problem.title);
        return;
      }
      showError(secondError, problem.title);
      second.code.select();
    });
  });
  document.getElementById("start-over").addEventListener("click", () => backToPassword(""));
}

const signOut = document.getElementById("sign-out");
if (signOut) {
  signOut.addEventListener("click", async () => {
    await post("/api/auth/sign-out");
    location.replace("/sign-in");
  });
}
