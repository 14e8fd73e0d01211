() => {
  // Vela chat page behaviour that must happen in the browser (loaded once by launch(js=...)):
  // <html lang> follows the tab's language; a card that needs an answer scrolls into view
  // and takes focus; focus goes back to the message box once it is answered or after
  // sign-in; the chat's bin asks before clearing (it opens the "New conversation" question).
  const $ = (selector) => document.querySelector(selector);
  const shown = (el) => !!el && el.getClientRects().length > 0 &&
    getComputedStyle(el).visibility !== "hidden";
  const cards = ["#consent-card", "#change-card", "#new-card"];
  const seen = {};

  function focusMessageBox() {
    const box = $("#message textarea");
    if (box && shown(box)) box.focus({ preventScroll: false });
  }

  function takeFocus(card) {
    card.setAttribute("tabindex", "-1");
    card.setAttribute("role", "region");
    const heading = card.querySelector("h1, h2, h3");
    if (heading && !heading.id) heading.id = card.id + "-heading";
    if (heading) card.setAttribute("aria-labelledby", heading.id);
    card.scrollIntoView({ block: "center", behavior: "instant" });
    // The question to clear the chat focuses "Keep", never the destructive choice.
    const target = card.id === "new-card" ? card.querySelector("#new-keep") : card;
    (target || card).focus({ preventScroll: true });
  }

  function check() {
    const marker = $("#vela-lang [data-vela-lang]");
    const lang = (marker && marker.getAttribute("data-vela-lang")) || "en";
    document.documentElement.lang = lang;
    // Gradio's arrow on a collapsed activity message has no name: give it one.
    for (const arrow of document.querySelectorAll("#chat .arrow button:not([aria-label]), " +
                                                 "#chat .arrow button[aria-label='']")) {
      arrow.setAttribute("aria-label", lang === "es" ? "Mostrar u ocultar detalles"
                                                     : "Show or hide details");
    }
    for (const selector of cards) {
      const card = $(selector);
      const now = shown(card);
      if (now && !seen[selector]) takeFocus(card);
      else if (!now && seen[selector] && !cards.some((s) => s !== selector && shown($(s)))) {
        focusMessageBox();  // answered: back to where the customer types
      }
      seen[selector] = now;
    }
    const workspace = shown($("#workspace"));
    if (workspace && !seen.workspace) focusMessageBox();  // just signed in (or as guest)
    seen.workspace = workspace;
  }

  let queued = false;
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; check(); });
  }).observe(document.body, { subtree: true, childList: true, attributes: true,
                              attributeFilter: ["class", "style", "hidden"] });

  // The chat's bin would wipe the transcript at once: ask first instead.
  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("#chat button");
    if (!button || !button.querySelector("svg") || button.closest(".message-wrap")) return;
    const name = (button.getAttribute("aria-label") || button.title || "").toLowerCase();
    if (!/clear|borrar|limpiar/.test(name)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    $("#new-conversation")?.click();
  }, true);
  check();
}
