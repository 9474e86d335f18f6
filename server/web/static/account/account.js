// The account page: turn two-step sign-in on (QR code, confirm, recovery codes) or off.
import { problemMessage } from "/static/account/problems.js";
import { post } from "/static/staff.js";

const section = document.getElementById("totp");
const t = JSON.parse(section.dataset.texts);
const $ = (id) => document.getElementById(id);

const show = (...ids) => {
  for (const id of ["totp-off", "totp-enrol", "totp-codes", "totp-on"]) $(id).hidden = !ids.includes(id);
};

const failWith = async (form, response) => {
  const error = form.querySelector(".error");
  error.textContent = await problemMessage(response, t);
  error.hidden = false;
};

const showCodes = (codes) => {
  const list = $("recovery-codes");
  list.replaceChildren(
    ...codes.map((code) => {
      const item = document.createElement("li");
      item.textContent = code;
      return item;
    }),
  );
  $("codes-left").textContent = String(codes.length);
  show("totp-codes");
  $("codes-done").focus();
};

$("totp-start").addEventListener("click", async () => {
  const response = await post("/api/account/totp/setup");
  if (!response.ok) return;
  const enrolment = await response.json();
  $("totp-qr").src = enrolment.qr_svg;
  $("totp-secret").textContent = enrolment.secret;
  show("totp-enrol");
  $("totp-confirm-code").focus();
});

$("totp-confirm").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  form.querySelector(".error").hidden = true;
  const response = await post("/api/account/totp/enable", { code: form.code.value.trim() });
  if (!response.ok) return failWith(form, response);
  $("totp-state").textContent = t.acct_totp_on;
  section.dataset.enabled = "true";
  showCodes((await response.json()).recovery_codes);
});

$("codes-done").addEventListener("click", () => {
  $("recovery-codes").replaceChildren();
  show("totp-on");
});

$("totp-manage").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  form.querySelector(".error").hidden = true;
  const action = event.submitter ? event.submitter.value : "disable";
  const code = form.code.value.trim();
  const path = action === "renew" ? "/api/account/totp/recovery-codes" : "/api/account/totp/disable";
  const response = await post(path, { code });
  if (!response.ok) return failWith(form, response);
  form.code.value = "";
  if (action === "renew") {
    showCodes((await response.json()).recovery_codes);
    return;
  }
  section.dataset.enabled = "false";
  $("totp-state").textContent = t.acct_disabled_done;
  show("totp-off");
});

// Profile and password: plain forms, each answering next to itself.
const settle = (form, ok, text) => {
  form.querySelector(".error").hidden = ok;
  form.querySelector(".error").textContent = ok ? "" : text;
  form.querySelector(".notice").textContent = ok ? text : "";
};

$("profile").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const body = {
    display_name: form.display_name.value.trim(),
    visitor_name: form.visitor_name.value.trim(),
    locale: form.locale.value,
  };
  const response = await post("/api/account/", body, "PATCH");
  settle(form, response.ok, response.ok ? t.acct_profile_saved : await problemMessage(response, t));
});

$("password-change").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  if (form.new_password.value.length < 12) {
    settle(form, false, t.acct_invalid_new_password);
    form.new_password.focus();
    return;
  }
  const response = await post("/api/account/password", {
    current_password: form.current_password.value,
    new_password: form.new_password.value,
  });
  if (response.ok) form.reset();
  settle(form, response.ok, response.ok ? t.acct_password_changed : await problemMessage(response, t));
});
