using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Crl.Jobs.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Sweeps",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    SpecJson = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Sweeps", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Users",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PasswordHash = table.Column<string>(type: "TEXT", nullable: false),
                    IsAdmin = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Users", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Runs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SweepId = table.Column<long>(type: "INTEGER", nullable: true),
                    ConfigJson = table.Column<string>(type: "TEXT", nullable: false),
                    Env = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ActorDepth = table.Column<int>(type: "INTEGER", nullable: false),
                    CriticDepth = table.Column<int>(type: "INTEGER", nullable: false),
                    ActorWidth = table.Column<int>(type: "INTEGER", nullable: false),
                    CriticWidth = table.Column<int>(type: "INTEGER", nullable: false),
                    BatchSize = table.Column<int>(type: "INTEGER", nullable: false),
                    Seed = table.Column<long>(type: "INTEGER", nullable: false),
                    TotalEnvSteps = table.Column<long>(type: "INTEGER", nullable: false),
                    ActorParameters = table.Column<long>(type: "INTEGER", nullable: false),
                    SaEncoderParameters = table.Column<long>(type: "INTEGER", nullable: false),
                    GEncoderParameters = table.Column<long>(type: "INTEGER", nullable: false),
                    TotalParameters = table.Column<long>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Progress = table.Column<double>(type: "REAL", nullable: false),
                    EpochsDone = table.Column<int>(type: "INTEGER", nullable: false),
                    EnvStepsDone = table.Column<long>(type: "INTEGER", nullable: false),
                    LatestTimeAtGoal = table.Column<double>(type: "REAL", nullable: true),
                    LatestSuccessRate = table.Column<double>(type: "REAL", nullable: true),
                    FinalTimeAtGoal = table.Column<double>(type: "REAL", nullable: true),
                    FinalSuccessRate = table.Column<double>(type: "REAL", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    FinishedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LeaseOwner = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    HeartbeatAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    CancelRequested = table.Column<bool>(type: "INTEGER", nullable: false),
                    Error = table.Column<string>(type: "TEXT", nullable: true),
                    JobId = table.Column<string>(type: "TEXT", nullable: true),
                    CodeVersion = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Runs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Runs_Sweeps_SweepId",
                        column: x => x.SweepId,
                        principalTable: "Sweeps",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Checkpoints",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RunId = table.Column<long>(type: "INTEGER", nullable: false),
                    Epoch = table.Column<int>(type: "INTEGER", nullable: false),
                    EnvSteps = table.Column<long>(type: "INTEGER", nullable: false),
                    RelativePath = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    SizeBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    TimeAtGoal = table.Column<double>(type: "REAL", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Checkpoints", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Checkpoints_Runs_RunId",
                        column: x => x.RunId,
                        principalTable: "Runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MetricPoints",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RunId = table.Column<long>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Step = table.Column<long>(type: "INTEGER", nullable: false),
                    WallTime = table.Column<double>(type: "REAL", nullable: false),
                    Value = table.Column<double>(type: "REAL", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MetricPoints", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MetricPoints_Runs_RunId",
                        column: x => x.RunId,
                        principalTable: "Runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Checkpoints_RunId_EnvSteps",
                table: "Checkpoints",
                columns: new[] { "RunId", "EnvSteps" });

            migrationBuilder.CreateIndex(
                name: "IX_MetricPoints_RunId_Name_Step",
                table: "MetricPoints",
                columns: new[] { "RunId", "Name", "Step" });

            migrationBuilder.CreateIndex(
                name: "IX_Runs_Env_ActorDepth",
                table: "Runs",
                columns: new[] { "Env", "ActorDepth" });

            migrationBuilder.CreateIndex(
                name: "IX_Runs_State_HeartbeatAt",
                table: "Runs",
                columns: new[] { "State", "HeartbeatAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Runs_SweepId_State",
                table: "Runs",
                columns: new[] { "SweepId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_Runs_UpdatedAt",
                table: "Runs",
                column: "UpdatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Sweeps_CreatedAt",
                table: "Sweeps",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Users_Name",
                table: "Users",
                column: "Name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Checkpoints");

            migrationBuilder.DropTable(
                name: "MetricPoints");

            migrationBuilder.DropTable(
                name: "Users");

            migrationBuilder.DropTable(
                name: "Runs");

            migrationBuilder.DropTable(
                name: "Sweeps");
        }
    }
}
