import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { qrPngBuffer } from '../modules/tickets/index.ts';

/*
 * A dim screen is a whole phone screen: the page around the QR dims with it, and the phone's dark bezel
 * frames it. Dimming the QR image alone and pasting it on white (as these shots first did) puts a grey
 * quiet zone against a brighter surround, which no screen or print shows; decoders then take the grey
 * for dark and lose the finder patterns (jsQR in Node: 0 of 5 QRs with a 4-module quiet zone, old
 * layout or new; with the page and bezel, 5 of 5 of either, also very dim).
 */
const PHONE_PAGE = 'pad=360:420:(ow-iw)/2:(oh-ih)/2:white';
const PHONE_BEZEL = 'pad=380:440:(ow-iw)/2:(oh-ih)/2:black';

/**
 * How the QR appears to the camera: an ffmpeg filter chain applied to the customer's QR image (320 px,
 * quiet zone included) before it is placed on a white 640x480 frame. Sizes are of the frame's short side.
 */
export const CAMERA_SHOTS = {
  'medium (58 %)': 'scale=280:280',
  'far (20 %)': 'scale=96:96',
  'very far (15 %)': 'scale=72:72',
  'half (50 %)': 'scale=240:240',
  'close (85 %)': 'scale=408:408',
  'fills the view (100 %)': 'scale=480:480',
  'rotated 30°': 'scale=260:260,rotate=30*PI/180:c=white:ow=rotw(30*PI/180):oh=roth(30*PI/180)',
  'rotated 90°': 'scale=260:260,transpose=1',
  'tilted (perspective)': 'scale=300:300,perspective=x0=40:y0=0:x1=W-40:y1=0:x2=0:y2=H:x3=W:y3=H:sense=destination',
  'dim, low contrast, blurred': `scale=280:280,${PHONE_PAGE},eq=contrast=0.6:brightness=-0.08,gblur=sigma=0.8,${PHONE_BEZEL}`,
  'very dim and blurred': `scale=280:280,${PHONE_PAGE},eq=contrast=0.35:brightness=-0.15,gblur=sigma=1.2,${PHONE_BEZEL}`,
  'printed, with a blot': 'scale=280:280,drawbox=x=150:y=120:w=26:h=22:color=black:t=fill',
} as const;
export type CameraShot = keyof typeof CAMERA_SHOTS;

/**
 * A 640x480 video of a ticket's QR on white, as Chromium's fake camera plays it (in a loop): pass the
 * path to --use-file-for-fake-video-capture. Made by ffmpeg from the real QR image a customer gets.
 */
export async function fakeCameraOf(secret: string, shot: CameraShot = 'medium (58 %)'): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gk-cam-'));
  writeFileSync(path.join(dir, 'qr.png'), await qrPngBuffer(secret));
  const video = path.join(dir, 'qr.y4m');
  execFileSync('ffmpeg', [
    '-loglevel', 'error', '-y', '-loop', '1', '-i', path.join(dir, 'qr.png'),
    '-vf', `${CAMERA_SHOTS[shot]},pad=640:480:(ow-iw)/2:(oh-ih)/2:white,format=yuv420p`,
    '-t', '3', '-r', '10', video,
  ]);
  return video;
}
