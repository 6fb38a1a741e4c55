import { describe, expect, it } from 'vitest';
import { parseStorageUrl } from './create-assets.js';

describe('STORAGE_URL', () => {
  it('s3:// is HTTPS, s3+http:// plain HTTP; keys, bucket and prefix come from the URL', () => {
    expect(parseStorageUrl('s3://AK:s%2Fk@minio.local:9000/drama/prod/v1')).toEqual({ endpoint: 'https://minio.local:9000', bucket: 'drama', prefix: 'prod/v1/', accessKeyId: 'AK', secretAccessKey: 's/k' });
    expect(parseStorageUrl('s3+http://AK:SK@127.0.0.1:4569/b')).toMatchObject({ endpoint: 'http://127.0.0.1:4569', bucket: 'b', prefix: '' });
    expect(parseStorageUrl('file:///var/lib/drama/assets')).toEqual({ dir: '/var/lib/drama/assets' });
  });

  it('refuses a URL without keys or bucket', () => {
    expect(() => parseStorageUrl('s3://minio.local/drama')).toThrow(/STORAGE_URL/);
    expect(() => parseStorageUrl('s3://AK:SK@minio.local/')).toThrow(/STORAGE_URL/);
  });
});
