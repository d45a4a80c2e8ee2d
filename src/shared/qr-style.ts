/**
 * How a ticket's QR is drawn, the same in emails (server) and on the order page (browser, from the
 * secret): medium error correction survives a scuffed phone screen; a quiet zone of 2 modules is enough
 * on screen.
 */
export const TICKET_QR_OPTIONS = { errorCorrectionLevel: 'M', margin: 2, width: 320 } as const;
