namespace YuHuan.Connector.Http;

/// <summary>
/// Where a background stream's resumptions stand: the resume position the latest run of them started from, and how many
/// resumptions in a row have not got past it.
/// </summary>
/// <param name="From">The <see cref="Protocol.IResumableMapper.ResumePosition"/> the resumptions started from.</param>
internal record struct Resumption(long From)
{
    /// <summary>Gets or sets the number of resumptions since the position last moved past <see cref="From"/>.</summary>
    public int WithoutProgress { get; set; }
}
