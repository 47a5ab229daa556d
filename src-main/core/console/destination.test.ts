import { describe, expect, it } from 'vitest';
import { consoleDestination } from './destination';
import { consolePartition } from './partitions';

describe('consolePartition', () => {
  it.each([
    [
      undefined,
      'aws',
      'https://signin.aws.amazon.com/federation',
      'https://console.aws.amazon.com/',
    ],
    [
      'eu-west-1',
      'aws',
      'https://signin.aws.amazon.com/federation',
      'https://console.aws.amazon.com/',
    ],
    [
      'cn-north-1',
      'aws-cn',
      'https://signin.amazonaws.cn/federation',
      'https://console.amazonaws.cn/',
    ],
    [
      'cn-northwest-1',
      'aws-cn',
      'https://signin.amazonaws.cn/federation',
      'https://console.amazonaws.cn/',
    ],
    [
      'us-gov-west-1',
      'aws-us-gov',
      'https://signin.amazonaws-us-gov.com/federation',
      'https://console.amazonaws-us-gov.com/',
    ],
  ])('finds the hosts of %s in %s', (region, name, signInUrl, consoleUrl) => {
    expect(consolePartition(region)).toMatchObject({ name, signInUrl, consoleUrl });
  });

  it('refuses an isolated partition in words', () => {
    expect(() => consolePartition('us-iso-east-1')).toThrow(
      'Region us-iso-east-1 is in an isolated AWS partition, whose console Rolecall cannot sign in to; give another region with --region.',
    );
  });
});

describe('consoleDestination', () => {
  const aws = consolePartition('us-east-1');

  it('is the console home without a region, and the region’s home with one', () => {
    expect(consoleDestination({ partition: aws })).toBe('https://console.aws.amazon.com/');
    expect(consoleDestination({ partition: aws, region: 'eu-west-1' })).toBe(
      'https://console.aws.amazon.com/console/home?region=eu-west-1',
    );
  });

  it('opens a service’s page, in the region', () => {
    expect(consoleDestination({ partition: aws, service: 's3', region: 'eu-west-1' })).toBe(
      'https://console.aws.amazon.com/s3/home?region=eu-west-1',
    );
    expect(consoleDestination({ partition: consolePartition('cn-north-1'), service: 'ec2' })).toBe(
      'https://console.amazonaws.cn/ec2/home',
    );
  });

  it('takes a page of the partition’s console by URL or path, adding the region only where none is given', () => {
    expect(
      consoleDestination({
        partition: aws,
        region: 'eu-west-1',
        destination: 'https://s3.console.aws.amazon.com/s3/buckets?region=us-east-2',
      }),
    ).toBe('https://s3.console.aws.amazon.com/s3/buckets?region=us-east-2');
    expect(
      consoleDestination({
        partition: aws,
        region: 'eu-west-1',
        destination: '/cloudwatch/home#logs',
      }),
    ).toBe('https://console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logs');
  });

  it.each([
    ['http://console.aws.amazon.com/', 'http is not'],
    ['https://evil.example.com/', 'evil.example.com is not'],
    ['https://console.aws.amazon.com.evil.example/', 'console.aws.amazon.com.evil.example is not'],
    ['https://console.amazonaws.cn/', 'console.amazonaws.cn is not'],
    ['//evil.example.com/', 'is not a URL'],
    ['not a url', 'is not a URL'],
  ])('refuses %s before anything is sent', (destination, words) => {
    expect(() => consoleDestination({ partition: aws, destination })).toThrow(words);
  });
});
