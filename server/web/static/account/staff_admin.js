// The admin section "Staff & partners": members, invitations and partner grants of one tenant.
// Every user string goes in with textContent; the server checks every rule again.
import { problemMessage } from "/static/account/problems.js";
import { post } from "/static/staff.js";

const root = document.getElementById("staff-admin");
if (root) {
  const t = JSON.parse(root.dataset.texts);
  const slug = encodeURIComponent(root.dataset.slug);
  const api = `/api/tenants/${slug}`;
  const el = (tag, props = {}, ...children) => {
    const node = document.createElement(tag);
    Object.assign(node, props);
    node.append(...children);
    return node;
  };
  const problemText = (response) => problemMessage(response, t);
  const showError = (box, text) => {
    box.textContent = text;
    box.hidden = !text;
  };
  let state = { members: [], invitations: [], teams: [], can_manage_admins: false };

  const teamBoxes = (fieldset, name, selected = []) => {
    fieldset.querySelectorAll("label.team").forEach((label) => label.remove());
    for (const team of state.teams) {
      const box = el("input", { type: "checkbox", name, value: team.id, checked: selected.includes(team.id) });
      fieldset.append(el("label", { className: "team" }, box, ` ${team.name}`));
    }
  };
  const checked = (container, name) =>
    [...container.querySelectorAll(`input[name="${name}"]:checked`)].map((box) => box.value);

  const roleSelect = (member) => {
    const roles = ["listener", "supervisor", "admin", "owner"];
    const select = el("select", { name: "role", title: t.acct_col_role });
    select.setAttribute("aria-label", `${t.acct_col_role} — ${member.email}`);
    for (const role of roles) {
      const privileged = role === "admin" || role === "owner";
      if (privileged && !state.can_manage_admins && member.role !== role) continue;
      select.append(el("option", { value: role, textContent: t[role], selected: member.role === role }));
    }
    const locked = !state.can_manage_admins && (member.role === "admin" || member.role === "owner");
    select.disabled = locked;
    return select;
  };

  const memberRow = (member) => {
    const row = el("tr", { className: member.is_active ? "" : "inactive" });
    const error = el("p", { className: "field-error", hidden: true });
    error.setAttribute("role", "alert");
    const name = el("td", {}, el("strong", { textContent: member.display_name || "—" }), el("br"), member.email);
    if (member.staff_id === root.dataset.me) name.append(` ${t.acct_you}`);
    const role = roleSelect(member);
    // Checkboxes, not a multiple select that needs Ctrl-click.
    const teams = el("fieldset", { className: "member-teams" }, el("legend", { className: "sr", textContent: `${t.acct_col_teams} — ${member.email}` }));
    const teamName = `member-team-${member.staff_id}`;
    teamBoxes(teams, teamName, member.team_ids);
    const capacity = el("input", { type: "number", min: 1, max: 20, placeholder: t.acct_capacity_default, value: member.capacity ?? "" });
    capacity.setAttribute("aria-label", `${t.acct_col_capacity} — ${member.email}`);
    const supervised = el("input", { type: "number", min: 0, max: 1000, value: member.supervised_conversations });
    supervised.setAttribute("aria-label", `${t.acct_col_supervised} — ${member.email}`);
    const locked = member.role === "owner" && !state.can_manage_admins;
    for (const input of [teams, capacity, supervised]) input.disabled = locked; // a fieldset disables its boxes

    const save = el("button", { type: "button", textContent: t.acct_save, disabled: locked });
    save.addEventListener("click", () =>
      change(member, error, {
        ...(role.disabled ? {} : { role: role.value }),
        team_ids: checked(teams, teamName),
        capacity: capacity.value === "" ? null : Number(capacity.value),
        supervised_conversations: Number(supervised.value || 0),
      }),
    );
    const toggle = el("button", {
      type: "button",
      textContent: member.is_active ? t.acct_deactivate : t.acct_reactivate,
      disabled: locked,
    });
    toggle.addEventListener("click", () => {
      if (member.is_active && !confirm(t.acct_deactivate_confirm)) return;
      change(member, error, { is_active: !member.is_active });
    });
    row.append(
      name,
      el("td", {}, role),
      el("td", {}, teams),
      el("td", {}, capacity),
      el("td", {}, supervised),
      el("td", { textContent: member.totp_enabled ? t.acct_yes : t.acct_no }),
      el("td", { textContent: member.is_active ? t.acct_active : t.acct_inactive }),
      el("td", {}, el("div", { className: "row-actions" }, save, toggle), error),
    );
    return row;
  };

  const change = async (member, error, body) => {
    showError(error, "");
    const response = await post(`${api}/staff/${member.staff_id}`, body, "PATCH");
    if (!response.ok) return showError(error, await problemText(response));
    await load();
    document.getElementById("members-status").textContent = t.acct_saved;
  };

  const invitationItem = (invitation) => {
    const revoke = el("button", { type: "button", textContent: t.acct_revoke });
    revoke.addEventListener("click", async () => {
      const response = await post(`${api}/staff/invitations/${invitation.id}`, undefined, "DELETE");
      if (response.ok) load();
    });
    // In the line's own time zone, with the hour: "14 déc. 2026, 21:30".
    const expires = new Date(invitation.expires_at).toLocaleString(document.documentElement.lang, {
      dateStyle: "medium",
      timeStyle: "short",
      timeZone: root.dataset.timeZone,
    });
    return el("li", {}, `${invitation.email} — ${t[invitation.role]} — ${expires} `, revoke);
  };

  const load = async () => {
    const response = await fetch(`${api}/staff/`, { credentials: "same-origin" });
    if (!response.ok) return;
    state = await response.json();
    document.getElementById("members").replaceChildren(...state.members.map(memberRow));
    const pending = state.invitations.map(invitationItem);
    document.getElementById("invitations").replaceChildren(
      ...(pending.length ? pending : [el("li", { textContent: t.acct_none_pending })]),
    );
    const inviteRole = document.getElementById("invite-role");
    inviteRole.querySelector('option[value="admin"]').hidden = !state.can_manage_admins;
    inviteRole.querySelector('option[value="admin"]').disabled = !state.can_manage_admins;
    teamBoxes(document.getElementById("invite-teams"), "invite-team");
    teamBoxes(document.getElementById("partner-teams"), "partner-team");
    await loadPartners();
  };

  const loadPartners = async () => {
    const response = await fetch(`${api}/partners/`, { credentials: "same-origin" });
    if (!response.ok) return;
    const { grants, teams } = await response.json();
    const names = Object.fromEntries(teams.map((team) => [team.id, team.name]));
    const items = grants.map((grant) => {
      const scope = grant.team_ids === null ? t.acct_partner_all : grant.team_ids.map((id) => names[id] || "?").join(", ");
      const revoke = el("button", { type: "button", textContent: t.acct_partner_revoke });
      revoke.addEventListener("click", async () => {
        const answer = await post(`${api}/partners/${encodeURIComponent(grant.slug)}`, undefined, "DELETE");
        if (answer.ok) loadPartners();
      });
      return el("li", {}, `${grant.name} (${grant.slug}) — ${scope} `, revoke);
    });
    document.getElementById("partners").replaceChildren(
      ...(items.length ? items : [el("li", { textContent: t.acct_no_partners })]),
    );
  };

  const inviteForm = document.getElementById("invite-form");
  const copyLink = document.getElementById("copy-invite-link");
  const copied = document.getElementById("invite-copied");
  copyLink.addEventListener("click", async () => {
    const link = document.getElementById("invite-link");
    try {
      await navigator.clipboard.writeText(link.value);
    } catch {
      link.select(); // no clipboard access: selected, for Ctrl+C
      document.execCommand?.("copy");
    }
    copied.textContent = t.acct_copied;
  });
  inviteForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = inviteForm.querySelector(".error");
    showError(error, "");
    const response = await post(`${api}/staff/invitations`, {
      email: inviteForm.email.value.trim(),
      role: inviteForm.role.value,
      team_ids: checked(inviteForm, "invite-team"),
    });
    if (!response.ok) return showError(error, await problemText(response));
    const created = await response.json();
    const link = document.getElementById("invite-link");
    document.getElementById("invite-result-text").textContent = created.emailed ? t.acct_invite_emailed : t.acct_invite_link;
    link.value = created.link || "";
    link.hidden = !created.link;
    document.getElementById("invite-result").hidden = false;
    inviteForm.reset();
    await load();
    copyLink.hidden = !created.link;
    copied.textContent = "";
    if (created.link) link.select();
  });

  const partnerForm = document.getElementById("partner-form");
  const all = document.getElementById("partner-all");
  const syncPartnerTeams = () =>
    partnerForm.querySelectorAll('input[name="partner-team"]').forEach((box) => {
      box.disabled = all.checked;
    });
  all.addEventListener("change", syncPartnerTeams);
  partnerForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = partnerForm.querySelector(".error");
    showError(error, "");
    const partner = encodeURIComponent(partnerForm.partner.value.trim());
    const body = { team_ids: all.checked ? null : checked(partnerForm, "partner-team") };
    const response = await post(`${api}/partners/${partner}`, body, "PUT");
    if (!response.ok) return showError(error, await problemText(response));
    partnerForm.reset();
    syncPartnerTeams();
    await loadPartners();
  });

  load().then(syncPartnerTeams);
}
