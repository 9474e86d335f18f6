// The invitation page: create the account (or join with the signed-in one), then go on.
import { problemMessage } from "/static/account/problems.js";
import { post } from "/static/staff.js";

const box = document.getElementById("invite");
if (box) {
  const t = JSON.parse(box.dataset.texts);
  const accept = async (form, body) => {
    const error = form.querySelector(".error");
    error.hidden = true;
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const response = await post("/api/invitations/accept", { token: box.dataset.token, ...body });
      if (response.ok) {
        location.replace((await response.json()).next);
        return;
      }
      error.textContent = await problemMessage(response, t);
      error.hidden = false;
    } finally {
      button.disabled = false;
    }
  };
  const created = document.getElementById("invite-new");
  if (created) {
    created.addEventListener("submit", (event) => {
      event.preventDefault();
      const error = created.querySelector(".error");
      const missing = !created.display_name.value.trim()
        ? ["acct_invalid_display_name", created.display_name]
        : created.password.value.length < 12
          ? ["acct_invalid_password", created.password]
          : null;
      if (missing) {
        error.textContent = t[missing[0]];
        error.hidden = false;
        missing[1].focus();
        return;
      }
      accept(created, {
        display_name: created.display_name.value.trim(),
        password: created.password.value,
        locale: created.locale.value,
      });
    });
  }
  const join = document.getElementById("invite-join");
  if (join) {
    join.addEventListener("submit", (event) => {
      event.preventDefault();
      accept(join, {});
    });
  }
}
