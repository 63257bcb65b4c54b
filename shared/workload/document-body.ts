import { randomBytes } from 'node:crypto';
import type { DatasetIndex } from '../dataset.ts';

/**
 * The body the dms shape writes back when it updates a document: the dataset's document shape and
 * size (coordinator/load/dataset-csv.ts edfiDocJson and securityElementsJson, docs/architecture.md#dataset)
 * with a new `_etag`, as every DMS update computes one. Not part of any digest: the integrity check
 * compares references, not bodies.
 */
export function updatedEdfiDocJson(index: DatasetIndex, documentId: number): string {
  return JSON.stringify({
    id: index.documentUuid(documentId),
    studentUniqueId: `STU${documentId}`,
    firstName: `FirstName${documentId}`,
    lastSurname: `LastName${documentId}`,
    birthDate: '2010-01-01',
    _etag: randomBytes(16).toString('hex'),
  });
}

export function securityElementsJson(documentId: number): string {
  return JSON.stringify({ Namespace: ['uri://ed-fi.org'], EducationOrganization: { Id: String(documentId % 100) } });
}
