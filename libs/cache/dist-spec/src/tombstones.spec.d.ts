export {};
//# sourceMappingURL=tombstones.spec.d.ts.map