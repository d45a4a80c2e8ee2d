/**
 * How a ticket's QR is drawn, the one set of options for every copy: the order page (browser, from the
 * secret), the email PNG and the PDF (server). Apple and Google Wallet draw their own from the secret.
 *
 * - Error correction M (15 % of the symbol may be lost): the compact secret is then QR version 6,
 *   41 modules a side. Q (25 %) would need version 8, 49 modules: at the same printed or on-screen size
 *   each module 16 % smaller, which costs more reads at arm's length than the extra margin saves on a
 *   scuffed or blotted paper copy (a blot covering a few percent of the symbol reads at M).
 * - A quiet zone of 4 modules, what the QR standard asks: less lets a busy background (an email client's
 *   frame, a phone's wallpaper) merge with the finder patterns.
 * - 320 px wide: 49 modules with the quiet zone, 6.5 px a module. The order page shows it at most 20rem
 *   wide (about 5 cm on a phone: 1 mm modules), the email at 320 px, the PDF 240 pt wide (1.7 mm modules).
 */
export const TICKET_QR_OPTIONS = { errorCorrectionLevel: 'M', margin: 4, width: 320 } as const;
