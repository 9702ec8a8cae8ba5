// GOV.UK Frontend's body classes, set before the page is drawn so components that JavaScript
// will enhance do not flash their no-JavaScript form. A file, not an inline script, because
// Harbour's Content-Security-Policy allows scripts only from its own static files.
document.body.className +=
  " js-enabled" +
  ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
