import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** "+8613800138000" → "+86 138 0013 8000": stored as E.164, shown grouped for reading aloud. */
export function formatPhone(phone: string): string {
  return parsePhoneNumberFromString(phone)?.formatInternational() ?? phone;
}

/** "anna.smith@acme.com" → "a•••@acme.com": enough to recognise a duplicate, not to call. */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at < 1) return '•••';
  return `${email[0]}•••${email.slice(at)}`;
}

/** "+49 151 2345 6789" → "+49 ••• ••89". */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 6) return '•••';
  const country = phone.trim().startsWith('+') ? `+${digits.slice(0, 2)} ` : '';
  return `${country}••• ••${digits.slice(-2)}`;
}

export function contactLine(lead: { email: string | null; phone: string | null }, masked: boolean): string | null {
  const parts = [
    lead.phone ? (masked ? maskPhone(formatPhone(lead.phone)) : formatPhone(lead.phone)) : null,
    lead.email ? (masked ? maskEmail(lead.email) : lead.email) : null,
  ].filter((p): p is string => p !== null);
  return parts.length > 0 ? parts.join(' · ') : null;
}
