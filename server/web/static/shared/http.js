// Talking to Havre's JSON API from a staff page: the session cookie, the CSRF header (the
// double-submit cookie Litestar sets), the page's language, and the problem details back.

const csrf = () => (document.cookie.match(/(?:^|; )havre_csrf=([^;]+)/) || [])[1] || "";
export const lang = document.documentElement.lang === "en" ? "en" : "fr";

export async function send(method, url, body) {
  const response = await fetch(url, {
    method,
    credentials: "same-origin",
    headers: {
      "content-type": "application/json",
      "accept-language": lang,
      "x-csrf-token": decodeURIComponent(csrf()),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  return { ok: response.ok, status: response.status, data };
}
