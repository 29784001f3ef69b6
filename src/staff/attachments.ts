import type { Request, Response } from 'express';
import type { CaseDetail } from './case-repository';
import { recordAudit } from './audit-repository';
import { staffOf } from './access';
import type { StaffDeps } from './deps';
import { attachmentsOf, findAttachment } from '../uploads/upload-repository';
import { FILE_KINDS, formatSize } from '../uploads/file-content';

// Files sent with an application, on the case page and as downloads. A download is access-checked like the case
// (the caller loads the case within the member of staff's services first), audited, and sent so that no browser
// renders it in the portal's origin: Content-Disposition: attachment, nosniff, and a CSP that allows nothing.

export const attachmentHref = (reference: string, id: string) =>
  `/staff/submissions/${reference}/files/${id}`;

/** The case page's list: name, kind, size, the question it answered, and its download address. */
export async function attachmentList(deps: StaffDeps, detail: CaseDetail) {
  if (detail.anonymisedAt) return [];
  const labels = new Map(
    detail.snapshot.pages.flatMap((p) => p.questions).map((q) => [q.id, q.summaryLabel ?? q.label]),
  );
  // In the order the form asked for them, each question's files in the order they were uploaded.
  const questionOrder = detail.snapshot.pages.flatMap((p) => p.questions.map((q) => q.id));
  const position = (a: { id: string; questionId: string }) => {
    const files = detail.answers[a.questionId];
    const within = Array.isArray(files) ? files.findIndex((f) => (f as { id?: string }).id === a.id) : -1;
    // Files sent with replies come after the form's, in the order they came.
    const question = questionOrder.indexOf(a.questionId);
    return (question === -1 ? questionOrder.length : question) * 1000 + within;
  };
  const attachments = (await attachmentsOf(deps.db, detail.id)).sort((x, y) => position(x) - position(y));
  return attachments.map((a) => ({
    name: a.name,
    kindLabel: FILE_KINDS[a.kind].label,
    sizeText: formatSize(a.size),
    questionLabel: a.messageId !== null ? 'Sent with a reply' : (labels.get(a.questionId) ?? a.questionId),
    messageId: a.messageId,
    href: attachmentHref(detail.reference, a.id),
  }));
}

/** GET /staff/submissions/:reference/files/:file, for a case already loaded within the caller's services. */
export async function sendAttachment(deps: StaffDeps, req: Request, res: Response, detail: CaseDetail) {
  const id = String(req.params.file ?? '');
  const attachment = await findAttachment(deps.db, detail.id, id);
  if (!attachment) {
    res.status(404).render('errors/not-found');
    return;
  }
  const staff = staffOf(req);
  await recordAudit(deps.db, {
    actorId: staff.userId,
    actorRole: staff.role,
    action: 'attachment-downloaded',
    submissionId: detail.id,
    requestId: req.id as string | undefined,
    details: { file: id },
  });
  res
    .status(200)
    .set({
      'Content-Type': FILE_KINDS[attachment.kind].mediaType,
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cache-Control': 'no-store',
      'Cross-Origin-Resource-Policy': 'same-origin',
    })
    .attachment(attachment.name)
    .send(attachment.content);
}
