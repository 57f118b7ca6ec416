// Copying text to the clipboard in every webview the app runs in: the async Clipboard API
// where the page may use it, else a selected textarea and the copy command (older WebKitGTK).

export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      // Not allowed here (no secure context or no permission): fall back below.
    }
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  try {
    // The fallback for webviews without the Clipboard API.
    if (!document.execCommand('copy')) throw new Error('the clipboard refused the text');
  } finally {
    area.remove();
  }
}
