export {};
//# sourceMappingURL=coherence.spec.d.ts.map