/**
 * Entry of preview.html: the taskpane in a plain browser over an .xlsx the user opens (exceljs).
 * It never touches Office.js, and it registers no custom functions (there is no Excel to call
 * them; the pane computes the pure `=KAM.*` results it writes itself, see workbook/xlsx.ts).
 */
async function mount(): Promise<void> {
  const root = document.getElementById("root");
  if (!root) return;
  const { mountTaskpane } = await import("./taskpane/index.js");
  mountTaskpane(root, { host: "preview" });
}

void mount();
