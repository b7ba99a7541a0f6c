import { z } from 'zod';
import { campaignCategories, solicitationChannels } from '@kindling/crm-import';
import { AppError } from '@kindling/errors';
import { featureBits } from './campaign-features.js';
import type { SoftmaxModel } from './softmax-regression.js';
import type { TagSuggester } from './tag-suggester.js';

/** Names the file type, so a stray JSON document (or another product's model) is refused by name. */
const formatName = 'kindling.campaign-tag-suggester';
/**
 * Bumped whenever features, hashing or the rule table change what stored weights mean: an older model
 * is refused with a request to retrain rather than silently mis-read.
 */
export const tagModelVersion = 1;

const envelopeSchema = z.object({ format: z.string(), version: z.number() }).loose();

function headSchema(vocabulary: readonly string[]) {
  return z
    .object({
      labels: z.array(z.enum(vocabulary)).min(2).max(vocabulary.length),
      examples: z.number().int().min(1),
      bias: z.array(z.number()),
      weights: z.array(z.array(z.number())),
    })
    .strict()
    .superRefine((head, context) => {
      const labelCount = head.labels.length;
      if (new Set(head.labels).size !== labelCount) context.addIssue({ code: 'custom', message: 'labels repeat' });
      if (head.bias.length !== labelCount) context.addIssue({ code: 'custom', message: 'bias does not have one value per label' });
      const seen = new Set<number>();
      head.weights.forEach((row, index) => {
        const [feature] = row;
        if (row.length !== labelCount + 1 || feature === undefined || !Number.isInteger(feature) || feature < 0 || feature >= 2 ** featureBits || seen.has(feature)) {
          context.addIssue({ code: 'custom', message: `weights row ${String(index)} is not a distinct feature index followed by one weight per label`, path: ['weights', index] });
        }
        if (feature !== undefined) seen.add(feature);
      });
    });
}

const modelSchema = z
  .object({
    format: z.literal(formatName),
    version: z.literal(tagModelVersion),
    featureBits: z.literal(featureBits),
    category: headSchema(campaignCategories).nullable(),
    channel: headSchema(solicitationChannels).nullable(),
  })
  .strict();

type StoredHead = z.infer<ReturnType<typeof headSchema>>;

function storedHead(model: SoftmaxModel | null, vocabulary: readonly string[], examples: number): StoredHead | null {
  if (model === null) return null;
  return {
    labels: model.labels.map((label) => vocabulary[label] ?? ''),
    examples,
    bias: [...model.bias],
    weights: [...model.weights].sort(([a], [b]) => a - b).map(([feature, row]) => [feature, ...row]),
  };
}

function loadedHead(head: StoredHead | null, vocabulary: readonly string[]): SoftmaxModel | null {
  if (head === null) return null;
  return {
    labels: head.labels.map((label) => vocabulary.indexOf(label)),
    bias: head.bias,
    weights: new Map(head.weights.map(([feature = 0, ...row]) => [feature, row])),
  };
}

/** The model as a JSON document, for storing per organisation. The same model always gives the same text. */
export function serialiseTagSuggester(suggester: TagSuggester): string {
  return JSON.stringify({
    format: formatName,
    version: tagModelVersion,
    featureBits,
    category: storedHead(suggester.category, campaignCategories, suggester.examples.category),
    channel: storedHead(suggester.channel, solicitationChannels, suggester.examples.channel),
  });
}

function refuse(reason: string, cause?: unknown): AppError {
  return new AppError('VALIDATION_FAILED', `campaign tag model: ${reason}; retrain it from the confirmed tags`, cause === undefined ? {} : { cause });
}

/**
 * Reads a stored model, refusing (AppError VALIDATION_FAILED, with a reason) anything that is not a
 * whole, well-formed model of this version: labels outside the vocabulary, ragged weights, non-finite
 * numbers, another file type.
 */
export function parseTagSuggester(text: string): TagSuggester {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw refuse('the file is not valid JSON (truncated or corrupted)', error);
  }
  const envelope = envelopeSchema.safeParse(document);
  if (!envelope.success || envelope.data.format !== formatName) throw refuse('the file is not a Kindling campaign tag model');
  if (envelope.data.version !== tagModelVersion) throw refuse(`the model has version ${String(envelope.data.version)}, this Kindling reads version ${String(tagModelVersion)}`);
  const parsed = modelSchema.safeParse(document);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw refuse(`the model is malformed at ${first === undefined ? 'the top level' : first.path.join('.') || 'the top level'} (${first?.message ?? 'invalid'})`, parsed.error);
  }
  return {
    category: loadedHead(parsed.data.category, campaignCategories),
    channel: loadedHead(parsed.data.channel, solicitationChannels),
    examples: { category: parsed.data.category?.examples ?? 0, channel: parsed.data.channel?.examples ?? 0 },
  };
}
