import { slotOf } from './slot';

describe('slotOf', () => {
  it('matches the CRC16 of the Redis Cluster specification', () => {
    expect(slotOf('123456789')).toBe(0x31c3 % 16384);
    expect(slotOf('foo')).toBe(12182); // CLUSTER KEYSLOT foo
  });

  it('hashes only the hash tag when there is a non-empty one', () => {
    expect(slotOf('clustache:{users}:bus')).toBe(slotOf('users'));
    expect(slotOf('clustache:{users}:l2:{x}')).toBe(slotOf('users'));
    expect(slotOf('{}users')).not.toBe(slotOf('users')); // an empty tag: the whole key is hashed
  });
});
