/** The text of the downloadable recovery-codes file: enough context to know what it is when found later. */
export function recoveryCodesText(codes: readonly string[], email: string | null, createdAt: Date): string {
  return [
    'Kindling recovery codes',
    ...(email ? [`Account: ${email}`] : []),
    `Created: ${createdAt.toISOString().slice(0, 10)}`,
    '',
    'Use one of these codes to sign in if you cannot use your authenticator app.',
    'Each code works once. Keep this file somewhere safe, such as a password manager.',
    '',
    ...codes,
    '',
  ].join('\n');
}

/** Saves `text` as a file through the browser's download, without any server round trip. */
export function downloadTextFile(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked on the next turn: revoking at once can cancel the download in some browsers.
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 0);
}
