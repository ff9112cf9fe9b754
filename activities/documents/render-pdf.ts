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
    for (const [label, value] of doc.facts) {
      pdf.font('Helvetica-Bold').fontSize(10).text(`${label}: `, { continued: true });
      pdf.font('Helvetica').text(value);
    }
    for (const section of doc.sections) {
      pdf.moveDown().font('Helvetica-Bold').fontSize(13).text(section.heading);
      for (const item of section.items) {
        pdf.moveDown(0.3).font('Helvetica-Bold').fontSize(10).text(item.title);
        pdf.font('Helvetica').fontSize(10).text(item.detail, { indent: 12 });
      }
    }
    pdf.end();
  });
}
