// Loading executables and kernel images: what execve and boot need, kept apart from the compiler
// so that running a program does not load the C front end.
import { loadImage, parseImage, ImageFormatError, type LoadedImage } from '../cc/image.js';
import { userIntrinsics } from '../runtime/user-intrinsics.js';
import { E } from '../kernel/errno.js';
import type { KernelC } from '../kernel/kc/kernel-c.js';

/** Loads an executable file's bytes for execve: a ksim image, else ENOEXEC. */
export function loadExecutable(bytes: Uint8Array, path: string): LoadedImage | number {
  const head = new TextDecoder().decode(bytes.subarray(0, 64));
  if (!head.startsWith('#!') || !head.includes('ksim')) return E.NOEXEC;
  try {
    const json = parseImage(new TextDecoder().decode(bytes));
    const img = loadImage(json, userIntrinsics as never, path.replace(/^.*\//, ''));
    if (!img.entry) return E.NOEXEC;
    return img;
  } catch (e) {
    if (e instanceof ImageFormatError) return E.NOEXEC;
    throw e;
  }
}

/** Loads a machine's kernel image into the kernel C runtime. */
export function loadKernelImage(text: string, kc: KernelC): void {
  const img = loadImage(text, kc.intrinsics as never, 'vmlinux');
  kc.load(img);
}
