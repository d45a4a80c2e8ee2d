import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { qrPngBuffer } from '../modules/tickets/index.ts';

/**
 * A 640x480 video of a ticket's QR on white, as Chromium's fake camera plays it (in a loop): pass the
 * path to --use-file-for-fake-video-capture. Made by ffmpeg from the real QR image a customer gets.
 */
export async function fakeCameraOf(secret: string): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gk-cam-'));
  writeFileSync(path.join(dir, 'qr.png'), await qrPngBuffer(secret));
  const video = path.join(dir, 'qr.y4m');
  execFileSync('ffmpeg', [
    '-loglevel', 'error', '-y', '-loop', '1', '-i', path.join(dir, 'qr.png'),
    '-vf', 'scale=280:280,pad=640:480:(ow-iw)/2:(oh-ih)/2:white,format=yuv420p',
    '-t', '3', '-r', '10', video,
  ]);
  return video;
}
