// The mapping of each provider's webhook body to the core's IntakeInput, by provider name.
import { mapAlchemer } from './alchemer.map.ts';
import { mapDelighted } from './delighted.map.ts';
import { mapIntercom } from './intercom.map.ts';
import type { ConnectorMapper, ConnectorProvider } from './map-kit.ts';
import { mapTypeform } from './typeform.map.ts';
import { mapZendesk } from './zendesk.map.ts';

export const connectorMappers: Record<ConnectorProvider, ConnectorMapper> = {
  alchemer: mapAlchemer,
  typeform: mapTypeform,
  delighted: mapDelighted,
  zendesk: mapZendesk,
  intercom: mapIntercom,
};
