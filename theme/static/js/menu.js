// Opens and closes the main menu on small screens. Without JavaScript the
// menu is simply always shown (see .no-js in site.css).
(function () {
  var button = document.querySelector(".menu-toggle");
  var menu = document.getElementById("menu-chinh");
  if (!button || !menu) return;
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", String(!open));
    menu.classList.toggle("open", !open);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      button.click();
      button.focus();
    }
  });
})();
