import { createHash } from 'node:crypto';

/**
 * DigitalOcean's SSH key fingerprint: the MD5 of the key blob, as colon-separated
 * hex (the legacy OpenSSH form). Undefined when the text is not a public key.
 */
export function md5Fingerprint(publicKey: string): string | undefined {
  const parts = publicKey.trim().split(/\s+/);
  if (parts.length < 2 || !/^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-)/.test(parts[0]!)) return undefined;
  const blob = Buffer.from(parts[1]!, 'base64');
  if (blob.length < 16) return undefined;
  // The blob starts with the key type as a length-prefixed string; a mismatch means garbage.
  const typeLen = blob.readUInt32BE(0);
  if (blob.subarray(4, 4 + typeLen).toString() !== parts[0]) return undefined;
  return createHash('md5').update(blob).digest('hex').match(/../g)!.join(':');
}
