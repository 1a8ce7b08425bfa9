/** `scheme://user:password@host…` with the credentials masked; works on text that is no valid URL. */
export function maskUrlCredentials(text: string): string {
  return text.replace(/\/\/[^/@\s]*@/g, '//***@');
}
