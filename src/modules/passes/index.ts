export type { PassOrder, PassTicket, PassFile } from './dto.ts';
export type { PassesConfig, AppleWalletConfig, GoogleWalletConfig, PassesEnv } from './credentials.ts';
export { loadPassesConfig } from './credentials.ts';
export type { DownloadTarget } from './links.ts';
export { LINK_LIFETIME_SECONDS } from './links.ts';
export {
  documentLinks,
  download,
  ticketEmailExtras,
  walletsOffered,
  type PassesDeps,
  type PassesSettings,
  type PassOrderSource,
  type WalletLinks,
  type DocumentLinks,
} from './service.ts';
