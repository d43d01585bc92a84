export {};
//# sourceMappingURL=message.spec.d.ts.map