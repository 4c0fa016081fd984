/// <reference types="office-js" />

/**
 * The open Excel document as .xlsx bytes (Office.js cannot save a copy): `getFileAsync` in
 * compressed form, read slice by slice, the file always closed. And a new workbook opened from
 * bytes (`Excel.createWorkbook`, base64). Thin on purpose: everything else is pure (logic/share.ts).
 */
export async function readDocumentFile(sliceSize = 1 << 20): Promise<Uint8Array> {
  const file = await new Promise<Office.File>((resolve, reject) =>
    Office.context.document.getFileAsync(Office.FileType.Compressed, { sliceSize }, (r) => (r.status === Office.AsyncResultStatus.Succeeded ? resolve(r.value) : reject(new Error(r.error.message)))),
  );
  try {
    const parts: Uint8Array[] = [];
    for (let i = 0; i < file.sliceCount; i++) {
      const slice = await new Promise<Office.Slice>((resolve, reject) =>
        file.getSliceAsync(i, (r) => (r.status === Office.AsyncResultStatus.Succeeded ? resolve(r.value) : reject(new Error(r.error.message)))),
      );
      parts.push(new Uint8Array(slice.data as number[]));
    }
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  } finally {
    file.closeAsync();
  }
}

export function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Open the bytes as a new workbook in Excel (ExcelApi 1.8). */
export async function openAsNewWorkbook(bytes: Uint8Array): Promise<void> {
  await Excel.createWorkbook(toBase64(bytes));
}
