/**
 * `user_data` holds either a path or the text itself. Text is what has several
 * lines or starts like a cloud-init document; a single plain line is a path.
 */
export function isInlineUserData(value: string): boolean {
  return value.includes('\n') || value.startsWith('#');
}
