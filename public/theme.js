// Applies the saved theme before the first paint, so a light-theme user sees no dark flash.
// A file, not an inline script: the Content-Security-Policy allows scripts from 'self' only.
try {
  const view = JSON.parse(localStorage.getItem('faultline.view') || '{}');
  if (view.state && view.state.theme === 'light') document.documentElement.classList.add('light');
} catch {
  // No saved view (or storage is off): the default theme stays.
}
