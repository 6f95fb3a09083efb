import Runtime

/// The layer lists of the two CIN networks, as the specification lays them out
/// (`transformer` and `cin26_network` of magenta_reference.py). Every conv reads its input
/// reflect-padded by (k - 1) / 2.
public enum MagentaArchitectures {
    /// Ghiasi et al.'s transformer: contract (9x9, 3x3 s2, 3x3 s2; bias + ReLU, no norm),
    /// residual1...5 (x + CIN(conv(ReLU(CIN(conv(x)))))), expand (up x2, 3x3, CIN, ReLU twice;
    /// 9x9, CIN, sigmoid). Each CIN is named after its conv.
    public static let transformer: [NetworkStep] = {
        var steps: [NetworkStep] = [
            .conv(name: "transformer/contract/conv1", pad: 4, upsample: false, norm: nil, activation: .relu),
            .conv(name: "transformer/contract/conv2", pad: 1, upsample: false, norm: nil, activation: .relu),
            .conv(name: "transformer/contract/conv3", pad: 1, upsample: false, norm: nil, activation: .relu),
        ]
        for r in 1...5 {
            let name = "transformer/residual/residual\(r)"
            steps += [.saveResidual,
                      .conv(name: name + "/conv1", pad: 1, upsample: false, norm: name + "/conv1", activation: .relu),
                      .conv(name: name + "/conv2", pad: 1, upsample: false, norm: name + "/conv2", activation: .none),
                      .addResidual]
        }
        for layer in ["transformer/expand/conv1/conv", "transformer/expand/conv2/conv"] {
            steps.append(.conv(name: layer, pad: 1, upsample: true, norm: layer, activation: .relu))
        }
        steps.append(.conv(name: "transformer/expand/conv3/conv", pad: 4, upsample: false,
                           norm: "transformer/expand/conv3/conv", activation: .sigmoid))
        return steps
    }()

    /// Dumoulin et al.'s network: contract.0 (9x9), contract.1-2 (3x3 s2), res.0...5, expand.0-1
    /// (up x2, 3x3), expand.2 (9x9, sigmoid); every conv (no bias) followed by its CIN.
    public static let cin26: [NetworkStep] = {
        var steps: [NetworkStep] = [
            .conv(name: "contract.0", pad: 4, upsample: false, norm: "contract.0", activation: .relu),
            .conv(name: "contract.1", pad: 1, upsample: false, norm: "contract.1", activation: .relu),
            .conv(name: "contract.2", pad: 1, upsample: false, norm: "contract.2", activation: .relu),
        ]
        for r in 0..<6 {
            steps += [.saveResidual,
                      .conv(name: "res.\(r).0", pad: 1, upsample: false, norm: "res.\(r).0", activation: .relu),
                      .conv(name: "res.\(r).1", pad: 1, upsample: false, norm: "res.\(r).1", activation: .none),
                      .addResidual]
        }
        steps += [.conv(name: "expand.0", pad: 1, upsample: true, norm: "expand.0", activation: .relu),
                  .conv(name: "expand.1", pad: 1, upsample: true, norm: "expand.1", activation: .relu),
                  .conv(name: "expand.2", pad: 4, upsample: false, norm: "expand.2", activation: .sigmoid)]
        return steps
    }()
}
