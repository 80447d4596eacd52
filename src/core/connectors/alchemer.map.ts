// Alchemer survey response → NPS. Alchemer's Webhook action ("Post the current response data",
// JSON format) sends the SurveyResponse object; it may come bare, under `response`, or under
// `data` (account webhooks). The NPS answer is the question the connector's npsField names (a
// question id), else the first question of type NPS; the comment is the first essay answer.
// Response ids count up per survey, so the external id is `<survey id>:<response id>`, the survey
// id taken from the body or the webhook URL (`?survey_id=`), else the globally unique session id.
import { clip, compact, customerOf, int, LIMITS, type Json, type MapRequest, type MapResult, obj, str, unmappable } from './map-kit.ts';

type Question = { id: string | null; type: string; question: string | null; answer: unknown; shown: unknown };

export function mapAlchemer({ body, query, settings }: MapRequest): MapResult {
  const outer = obj(body);
  const response = [outer?.response, outer?.data, outer].map(obj).find((o) => o && obj(o.survey_data)) ?? null;
  if (!response) return unmappable('survey_data (post the current response data in JSON format from the Webhook action)');
  const questions = Object.values(obj(response.survey_data) ?? {}).map(readQuestion).filter((q): q is Question => q !== null);

  const surveyId = str(response.survey_id) ?? str(outer?.survey_id) ?? str(query.survey_id);
  const responseId = str(response.id) ?? str(response.response_id);
  const sessionId = str(response.session_id);
  const wanted = settings.npsField;
  const npsQuestion = wanted ? questions.find((q) => q.id === wanted) : questions.find((q) => /^(nps|netpromoter)$/.test(q.type));
  const score = npsQuestion ? int(npsQuestion.answer) : null;
  const missing: string[] = [];
  if (!(surveyId && responseId) && !sessionId) missing.push('a survey id (add ?survey_id= to the webhook URL) with the response id, or the session_id');
  if (!npsQuestion) {
    missing.push(wanted ? `an answer to question ${wanted} (the connector's --nps-field)` : 'a question of type NPS (or set it with: connector add alchemer --nps-field <question id>)');
  } else if (score === null || score < 0 || score > 10) {
    missing.push(`an NPS answer from 0 to 10 to question ${npsQuestion.id} (got ${JSON.stringify(npsQuestion.answer ?? null)})`);
  }
  if (missing.length || score === null || !npsQuestion) return unmappable(...missing);

  const essay = questions.find((q) => q.type === 'essay' && str(q.answer)) ?? questions.find((q) => q.type === 'textbox' && str(q.answer));
  const vars = urlVariables(response.url_variables);
  const emailQuestion = questions.find((q) => q.type === 'email' && str(q.answer));
  const touchpoint = str(outer?.survey_title) ?? str(response.survey_title) ?? str(vars.touchpoint) ?? (surveyId ? `Alchemer survey ${surveyId}` : 'Alchemer survey');
  return {
    status: 'mapped',
    input: {
      source: 'alchemer',
      externalId: clip(surveyId && responseId ? `${surveyId}:${responseId}` : `session:${sessionId}`, LIMITS.id)!,
      kind: 'nps',
      score,
      comment: clip(str(essay?.answer), LIMITS.comment),
      touchpoint: clip(touchpoint, LIMITS.touchpoint),
      tags: [],
      // date_submitted is "YYYY-MM-DD HH:MM:SS" US Eastern without an offset: too ambiguous to
      // trust as an instant, so it stays in metadata and the item is stamped on arrival.
      receivedAt: null,
      customer: customerOf({
        externalId: str(vars.customer_id) ?? str(vars.external_id) ?? str(vars.user_id),
        email: str(vars.email) ?? str(emailQuestion?.answer),
        name: str(vars.name),
        company: str(vars.company),
        attributes: compact({ alchemer_contact_id: str(response.contact_id) ?? undefined }),
      }),
      metadata: {
        alchemer: compact({
          survey_id: surveyId ?? undefined,
          response_id: responseId ?? undefined,
          session_id: sessionId ?? undefined,
          status: response.status,
          is_test_data: response.is_test_data,
          date_submitted: response.date_submitted,
          language: response.language,
          url_variables: Object.keys(vars).length ? vars : undefined,
          question: npsQuestion.question ?? undefined,
          answers: questions.filter((q) => q !== npsQuestion && q !== essay).map((q) => compact({ id: q.id ?? undefined, type: q.type, question: q.question ?? undefined, answer: q.answer })),
        }),
      },
    },
  };
}

function readQuestion(raw: unknown): Question | null {
  const q = obj(raw);
  if (!q) return null;
  return { id: str(q.id), type: (str(q.type) ?? '').toLowerCase(), question: str(q.question), answer: q.answer, shown: q.shown };
}

/** `{ email: "a@b.c" }` or `{ email: { key: "email", value: "a@b.c" } }` → `{ email: "a@b.c" }`. */
function urlVariables(raw: unknown): Json {
  const vars = obj(raw);
  if (!vars) return {};
  return Object.fromEntries(
    Object.entries(vars)
      .map(([k, v]) => [k.toLowerCase(), str(v) ?? str(obj(v)?.value)] as const)
      .filter(([k, v]) => v !== null && !k.startsWith('__')),
  );
}
