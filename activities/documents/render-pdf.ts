import PDFDocument from 'pdfkit';
import type { DocumentModel } from './content';

/** Renders the model as a PDF. The creation date is fixed by the caller so a retry yields the same bytes. */
export function renderPdf(doc: DocumentModel, createdAt: Date): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const pdf = new PDFDocument({ size: 'A4', margin: 56, info: { Title: doc.title, CreationDate: createdAt } });
    const chunks: Buffer[] = [];
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);

    pdf.font('Helvetica-Bold').fontSize(18).text(doc.title);
    pdf.moveDown(0.3).font('Helvetica-Oblique').fontSize(10).text(doc.subtitle);
    pdf.moveDown();
    // Label and value on lines of their own: pdfkit's `continued` text across a font change drew the
    // value over the end of a bold label, and a long value wraps within the margins here.
    for (const [label, value] of doc.facts) {
      pdf.moveDown(0.2).font('Helvetica-Bold').fontSize(10).text(label);
      pdf.font('Helvetica').fontSize(10).text(value);
    }
    for (const section of doc.sections) {
      pdf.moveDown().font('Helvetica-Bold').fontSize(13).text(section.heading);
      for (const item of section.items) {
        pdf.moveDown(0.3).font('Helvetica-Bold').fontSize(10).text(item.title);
        pdf.font('Helvetica').fontSize(10).text(item.detail, { indent: 12 });
      }
    }
    for (const chart of doc.charts ?? []) {
      pdf.moveDown().font('Helvetica-Bold').fontSize(12).text(chart.title);
      const top = pdf.y + 5;
      const [left, width, height] = [70, 400, 100];
      const max = Math.max(chart.target, ...chart.points.map((p) => p.value), 1);
      const x = (i: number) => left + (chart.points.length <= 1 ? 0 : (i * width) / (chart.points.length - 1));
      const y = (v: number) => top + height - (v / max) * height;
      pdf.rect(left, top, width, height).strokeColor('#cccccc').stroke();
      pdf.moveTo(left, y(chart.target)).lineTo(left + width, y(chart.target)).dash(4, { space: 4 }).strokeColor('#888888').stroke().undash();
      chart.points.forEach((p, i) => (i === 0 ? pdf.moveTo(x(i), y(p.value)) : pdf.lineTo(x(i), y(p.value))));
      if (chart.points.length > 0) pdf.strokeColor('#1f4e79').lineWidth(2).stroke().lineWidth(1);
      chart.points.forEach((p, i) => pdf.font('Helvetica').fontSize(8).fillColor('black').text(p.label, x(i) - 15, top + height + 3, { width: 30, align: 'center' }));
      pdf.x = 56;
      pdf.y = top + height + 20;
    }
    pdf.end();
  });
}
