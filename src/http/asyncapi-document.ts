// Builds the AsyncAPI document of the default configuration without a database or broker: what asyncapi.yaml
// holds (`npm run asyncapi:write`) and a bridge with the shipped policy and no topic prefix serves.
import { loadConfig } from '../config.ts';
import { asyncApiDocument } from '../contract/asyncapi.ts';
import { loadExchangePolicy } from '../exchange/policy-load.ts';
import { kindSchemas } from '../ingest/kinds/index.ts';
import { deadLetterTopicName, inboundTopicName } from '../kafka/topics.ts';
import { loadRegionDirectory } from '../regions/regions.ts';

export function buildAsyncApiDocument(): Record<string, unknown> {
  const config = loadConfig({
    DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
    KAFKA_BROKERS: '127.0.0.1:1',
    BRIDGE_OIN: '00000000000000000000',
    PSEUDONYM_KEY: 'only-used-to-build-the-asyncapi-document',
    LOG_LEVEL: 'silent',
  });
  const prefix = config.kafkaTopicPrefix;
  return asyncApiDocument({
    policy: loadExchangePolicy(config.exchangePolicyFile, kindSchemas()),
    regions: loadRegionDirectory(),
    topicPrefix: prefix,
    deadLetterTopic: deadLetterTopicName(prefix),
    inboundTopic: inboundTopicName(prefix, config.inboundTopic),
    inboundGroupId: config.inboundGroupId,
  });
}
